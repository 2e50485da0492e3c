// snippet.title: Chatty
while true { print("all work and no play makes Jack a dull boy") }
