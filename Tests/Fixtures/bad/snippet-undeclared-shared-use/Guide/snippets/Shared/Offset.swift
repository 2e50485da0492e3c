func offset() -> Int { 2 }
