// snippet.title: Greeting helpers

func greeting(_ name: String) -> String { "Hello, \(name)!" }
