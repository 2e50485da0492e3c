import Testing

@testable import GuideKit

@Suite struct FigureEmbedTests {
  @Test func aMeasuredFigureIsMarkedOnItsWrapperAndNotOnTheSVG() {
    let svg = "<svg data-measured=\"\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><title>t</title></svg>"
    let html = FigureEmbed.html(svg: svg, label: "Latency", idPrefix: "f-", captionHTML: "Latency")
    #expect(html.contains("<div class=\"figure-body\" data-measured=\"\">"), "\(html)")
    #expect(!html.contains("<svg role=\"img\" aria-label=\"Latency\" data-measured"), "\(html)")
    #expect(html.components(separatedBy: "data-measured").count == 2, "one data-measured, on the wrapper: \(html)")
  }

  @Test func anOrdinaryFigureIsNotMarked() {
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><title>t</title><desc>data-measured</desc></svg>"
    let html = FigureEmbed.html(svg: svg, label: "IoU", idPrefix: "f-", captionHTML: "IoU")
    #expect(html.contains("<div class=\"figure-body\">"), "\(html)")
  }
}
