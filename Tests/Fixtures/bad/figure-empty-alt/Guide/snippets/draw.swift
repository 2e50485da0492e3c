// snippet.title: Draws nothing
print("drawn")
