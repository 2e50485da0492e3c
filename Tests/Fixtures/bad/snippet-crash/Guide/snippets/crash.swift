// snippet.title: Crash
let values = [1, 2, 3]
let i = values.count + Int("2")!
print(values[i])
