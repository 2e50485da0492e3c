// snippet.title: Count
for i in 1...4 { print("line \(i)") }
print("mAP: 0.7")
