// snippet.title: Counting to ten
var total = 0
for i in 1...10 { total += i }
print("sum:", total)
