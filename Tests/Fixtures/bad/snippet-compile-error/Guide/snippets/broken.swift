// snippet.title: Broken
let x: Int = "text"
print(x)
