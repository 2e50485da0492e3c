// snippet.title: An SVG square (shared code of the snippet-runner fixture)

func squareSVG(side: Int) -> String {
  "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(side)\" height=\"\(side)\"><rect width=\"\(side)\" height=\"\(side)\" fill=\"#e94\"/></svg>\n"
}
