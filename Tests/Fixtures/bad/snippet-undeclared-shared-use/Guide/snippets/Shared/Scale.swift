func scale(_ x: Int) -> Int { x * 2 }
