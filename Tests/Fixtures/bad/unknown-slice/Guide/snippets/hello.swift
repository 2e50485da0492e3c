// snippet.title: Hello
// snippet.core
print("hello")
// snippet.end
