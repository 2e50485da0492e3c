import Foundation
import Testing

@testable import CVKit

#if canImport(FoundationXML)
  import FoundationXML
#endif

// MARK: - Helpers

/// Parses `xml` with Foundation's XMLParser; returns the element names in document order, or
/// nil when the document is not well-formed.
func parseXML(_ xml: String) -> [String]? {
  final class Collector: NSObject, XMLParserDelegate {
    var names: [String] = []
    func parser(
      _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
      attributes attributeDict: [String: String] = [:]
    ) {
      names.append(elementName)
    }
  }
  let parser = XMLParser(data: Data(xml.utf8))
  let collector = Collector()
  parser.delegate = collector
  return parser.parse() ? collector.names : nil
}

/// A minimal inflater (stored and fixed-Huffman blocks, RFC 1951), enough to read back what
/// `Deflate.compress` writes, so the round trip is checked without the system zlib.
func inflate(_ data: [UInt8]) throws -> [UInt8] {
  struct Bad: Error {}
  var pos = 0
  var bit = 0
  func readBit() throws -> UInt32 {
    guard pos < data.count else { throw Bad() }
    let b = UInt32(data[pos] >> UInt8(bit)) & 1
    bit += 1
    if bit == 8 {
      bit = 0
      pos += 1
    }
    return b
  }
  func readBits(_ n: Int) throws -> Int {
    var v = 0
    for i in 0..<n { v |= Int(try readBit()) << i }
    return v
  }
  func readCode(_ n: Int, into code: inout Int) throws {
    for _ in 0..<n { code = code << 1 | Int(try readBit()) }
  }
  func fixedSymbol() throws -> Int {
    var code = 0
    try readCode(7, into: &code)
    if code <= 23 { return 256 + code }
    try readCode(1, into: &code)
    if code >= 0x30 && code <= 0xBF { return code - 0x30 }
    if code >= 0xC0 && code <= 0xC7 { return 280 + code - 0xC0 }
    try readCode(1, into: &code)
    guard code >= 0x190 && code <= 0x1FF else { throw Bad() }
    return 144 + code - 0x190
  }
  var out: [UInt8] = []
  var final = 0
  repeat {
    final = try readBits(1)
    let type = try readBits(2)
    switch type {
    case 0:
      if bit != 0 {
        bit = 0
        pos += 1
      }
      guard pos + 4 <= data.count else { throw Bad() }
      let len = Int(data[pos]) | Int(data[pos + 1]) << 8
      pos += 4
      guard pos + len <= data.count else { throw Bad() }
      out += data[pos..<pos + len]
      pos += len
    case 1:
      while true {
        let symbol = try fixedSymbol()
        if symbol < 256 {
          out.append(UInt8(symbol))
        } else if symbol == 256 {
          break
        } else {
          let li = symbol - 257
          guard li < Deflate.lengthBase.count else { throw Bad() }
          let length = Deflate.lengthBase[li] + (try readBits(Deflate.lengthExtra[li]))
          var dcode = 0
          try readCode(5, into: &dcode)
          guard dcode < Deflate.distanceBase.count else { throw Bad() }
          let distance = Deflate.distanceBase[dcode] + (try readBits(Deflate.distanceExtra[dcode]))
          guard distance <= out.count else { throw Bad() }
          for _ in 0..<length { out.append(out[out.count - distance]) }
        }
      }
    default: throw Bad()
    }
  } while final == 0
  return out
}

/// Splits a PNG file into (type, data, stored CRC) chunks after checking the signature.
func pngChunks(_ png: [UInt8]) -> [(String, [UInt8], UInt32)]? {
  guard png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else { return nil }
  var chunks: [(String, [UInt8], UInt32)] = []
  var i = 8
  func u32(_ at: Int) -> UInt32 { png[at..<at + 4].reduce(0) { $0 << 8 | UInt32($1) } }
  while i + 12 <= png.count {
    let length = Int(u32(i))
    let type = String(decoding: png[i + 4..<i + 8], as: UTF8.self)
    let data = Array(png[i + 8..<i + 8 + length])
    chunks.append((type, data, u32(i + 8 + length)))
    i += 12 + length
  }
  return chunks
}

/// Undoes the PNG row filters.
func unfilter(_ data: [UInt8], width: Int, height: Int, channels: Int) -> [UInt8] {
  let stride = width * channels
  var out = [UInt8](repeating: 0, count: stride * height)
  for y in 0..<height {
    let type = data[y * (stride + 1)]
    for i in 0..<stride {
      let raw = Int(data[y * (stride + 1) + 1 + i])
      let a = i >= channels ? Int(out[y * stride + i - channels]) : 0
      let b = y > 0 ? Int(out[(y - 1) * stride + i]) : 0
      let c = i >= channels && y > 0 ? Int(out[(y - 1) * stride + i - channels]) : 0
      let predictor = [0, a, b, (a + b) / 2, PNGEncoder.paeth(a, b, c)][Int(type)]
      out[y * stride + i] = UInt8(truncatingIfNeeded: raw + predictor)
    }
  }
  return out
}

/// A sample of every kind of chart, for the well-formedness and determinism checks.
func sampleFigures() -> [(String, String)] {
  var chart = Chart(title: "Loss & <gain>", desc: "A line, a step, points, a histogram, an area, a box and reference lines.")
  chart.xLabel = "x"
  chart.yLabel = "y"
  chart.add(.line([(0, 0), (0.5, 0.7), (1, 1)], label: "line \"a\"", style: .series(0, marker: true)))
  chart.add(.step([(0, 1), (0.5, 0.5), (1, 0.2)], label: "step", style: .series(1)))
  chart.add(.scatter([(0.2, 0.3), (0.8, 0.6)], label: "points", style: .series(2)))
  chart.add(
    .histogram(
      edges: [0, 0.25, 0.5, 0.75, 1], counts: [0.1, 0.4, 0.3, 0.2], label: "hist", style: FigureStyle(color: .series(3), fillOpacity: 0.3)))
  chart.add(.area([(0, 0.1), (1, 0.3)], baseline: 0, label: "area", style: .series(4)))
  chart.add(.rect(x1: 0.1, y1: 0.1, x2: 0.4, y2: 0.4, label: "box", style: .series(5)))
  chart.add(.vline(x: 0.5, label: "p95", style: .series(0)))
  chart.add(.hline(y: 0.9, label: "budget", style: .series(1)))
  chart.add(.note(x: 0.6, y: 0.2, text: "note", anchor: "middle"))
  var bars = BarChart(
    title: "Bars", desc: "Stacked.", categories: ["CPU", "GPU"],
    series: [
      .init(label: "pre", values: [3, 1]), .init(label: "model", values: [20, 6]),
    ])
  bars.stacked = true
  bars.horizontal = true
  bars.showValues = true
  bars.references = [(33.3, "30 FPS budget")]
  var grouped = BarChart(
    title: "Grouped", desc: "Side by side.", categories: ["a", "b", "c"],
    series: [
      .init(label: "one", values: [1, 2, 3]), .init(label: "two", values: [2, 1, 0.5]),
    ])
  grouped.showValues = true
  let heat = HeatMap(
    title: "Heat", desc: "A 2×3 matrix.", values: [[0, 0.5, 1], [0.25, 0.75, 0.1]], rowLabels: ["r0", "r1"], columnLabels: ["a", "b", "c"])
  let gradient = (0..<(24 * 16)).map { UInt8(($0 % 24) * 10) }
  var frame = RasterFigure(
    title: "Frame", desc: "A gradient with a box.", raster: Raster(width: 24, height: 16, channels: 1, bytes: gradient), frameWidth: 24,
    frameHeight: 16)
  frame.add(.box(x1: 2, y1: 2, x2: 10, y2: 10, label: "car 0.9", style: .series(0)))
  frame.add(.region(x1: 12, y1: 2, x2: 20, y2: 8, style: FigureStyle(color: .bad)))
  frame.add(.text(x: 12, y: 14, text: "note", anchor: "start"))
  frame.legend = [LegendEntry(label: "prediction", style: .series(0))]
  return [
    ("chart", chart.svg(name: "chart")), ("bars", bars.svg(name: "bars")), ("grouped", grouped.svg(name: "grouped")),
    ("heat", heat.svg(name: "heat")), ("frame", frame.svg(name: "frame")),
  ]
}

// MARK: - Tests

@Suite struct SVGTextTests {
  @Test(arguments: [
    (0.0, "0"), (1.0, "1"), (1.5, "1.5"), (1.006, "1.01"), (1.004, "1"), (-0.001, "0"), (-2.346, "-2.35"), (123456.0, "123456"),
    (0.1 + 0.2, "0.3"), (Double.nan, "0"), (Double.infinity, "0"),
  ])
  func numbersHaveAtMostTwoDecimalsAndNoNegativeZero(value: Double, expected: String) {
    #expect(SVGText.number(value) == expected)
  }

  @Test func fixedKeepsTrailingZeros() {
    #expect(SVGText.fixed(0.5, decimals: 2) == "0.50")
    #expect(SVGText.fixed(-3, decimals: 1) == "-3.0")
    #expect(SVGText.fixed(2.5, decimals: 0) == "3")
  }

  @Test func escapesMarkupAndDropsControlCharacters() {
    #expect(SVGText.escape("a<b & \"c\" 'd'>\u{1}") == "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;")
  }
}

@Suite struct TicksTests {
  @Test(arguments: [(1.0, 5, 0.25), (10.0, 5, 2.5), (1.2, 5, 0.5), (0.9, 6, 0.2), (100.0, 6, 20.0), (7.0, 8, 1.0), (0.03, 4, 0.01)])
  func niceStepIsOneTwoTwoAndAHalfOrFiveTimesAPowerOfTen(span: Double, count: Int, expected: Double) {
    let step = Ticks.niceStep(span: span, count: count)
    #expect(abs(step - expected) < 1e-12, "span \(span), \(count) ticks: step \(step)")
    #expect(step >= span / Double(count - 1) - 1e-12, "never more ticks than asked for")
  }

  @Test func knownTickSets() {
    #expect(Ticks.values(0...1, count: 6) == [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1])
    #expect(Ticks.labels(Ticks.values(0...1, count: 6)) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    #expect(Ticks.labels(Ticks.values(0...100, count: 6)) == ["0", "20", "40", "60", "80", "100"])
    #expect(Ticks.labels(Ticks.values(0...0.05, count: 6)) == ["0.00", "0.01", "0.02", "0.03", "0.04", "0.05"])
  }

  @Test func niceDomainWidensToWholeSteps() {
    #expect(Ticks.niceDomain(0.13, 0.92) == 0...1)
    #expect(Ticks.niceDomain(3, 97, count: 6) == 0...100)
    #expect(Ticks.niceDomain(-4.2, 4.2) == -5...5)
    let flat = Ticks.niceDomain(2, 2)
    #expect(flat.lowerBound < 2 && flat.upperBound > 2, "a flat range gets a non-empty domain")
  }

  @Test func linearScaleMapsDomainOntoRangeBothWays() {
    let up = LinearScale(domain: 0...10, range: (0, 100))
    #expect(up(5) == 50)
    let down = LinearScale(domain: 0...1, range: (200, 100))
    #expect(down(0) == 200 && down(1) == 100 && down(0.25) == 175)
  }
}

@Suite struct SVGOutputTests {
  @Test(arguments: sampleFigures())
  func everyFigureIsWellFormedSVGWithTitleAndDesc(name: String, svg: String) throws {
    let elements = try #require(parseXML(svg), "\(name) is not well-formed XML")
    #expect(elements.first == "svg")
    #expect(elements.dropFirst().prefix(2) == ["title", "desc"], "\(name): <title> and <desc> come first")
    #expect(svg.hasPrefix("<svg "))
    #expect(svg.contains("viewBox=\"0 0 "))
    #expect(svg.contains("width:100%;height:auto"))
    #expect(svg.utf8.count < 30_000)
  }

  @Test func drawingIsDeterministic() {
    let a = sampleFigures()
    let b = sampleFigures()
    for (x, y) in zip(a, b) { #expect(x.1 == y.1, "\(x.0) differs between two runs") }
  }

  @Test func textIsThemedAndSeriesUseCustomPropertiesWithFallbacks() throws {
    let svg = try #require(sampleFigures().first).1
    #expect(svg.contains("fill:currentColor"))
    #expect(svg.contains("var(--fig-1,#0072b2)"))
    #expect(svg.contains("stroke-dasharray:6 4"), "the second series is dashed, not only differently coloured")
    #expect(svg.contains("<title>Loss &amp; &lt;gain&gt;</title>"))
    #expect(svg.contains("id=\"chart-plot\""), "ids are prefixed with the figure name")
  }

  @Test func idsArePrefixedWithTheFigureName() {
    for (name, svg) in sampleFigures() {
      var rest = Substring(svg)
      while let r = rest.range(of: " id=\"") {
        rest = rest[r.upperBound...]
        #expect(rest.hasPrefix(name + "-"), "\(name): id \(rest.prefix(20))")
      }
    }
  }

  @Test func heatMapColoursRunFromDarkToLight() {
    #expect(HeatMap.color(0).hex == "#440154")
    #expect(HeatMap.color(1).hex == "#fde725")
    #expect(HeatMap.color(0).darkText == false && HeatMap.color(1).darkText == true)
  }

  @Test func figureNamesAreChecked() {
    #expect(Figure.isValidName("pr-curve"))
    #expect(Figure.isValidName("0-iou"))
    #expect(!Figure.isValidName("-x"))
    #expect(!Figure.isValidName("PR"))
    #expect(!Figure.isValidName("a_b"))
    #expect(!Figure.isValidName(""))
  }
}

@Suite struct PNGTests {
  @Test func checksumsMatchKnownValues() {
    #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    #expect(Adler32.checksum(Array("Wikipedia".utf8)) == 0x11E6_0398)
    #expect(CRC32.checksum([]) == 0 && Adler32.checksum([]) == 1)
  }

  static let deflateInputs: [[UInt8]] = {
    let empty: [UInt8] = []
    let phrase: [UInt8] = Array("abcabcabcabcabcabc, a repeated phrase, a repeated phrase".utf8)
    let noisy: [UInt8] = (0..<5000).map { (i: Int) -> UInt8 in UInt8((i * 7919 + i / 13) % 251) }
    let long: [UInt8] = [UInt8](repeating: 42, count: 70_000)
    return [empty, phrase, noisy, long]
  }()

  @Test(arguments: deflateInputs)
  func deflateRoundTrips(_ data: [UInt8]) throws {
    let compressed = Deflate.compress(data)
    #expect(try inflate(compressed) == data)
  }

  @Test func zlibStreamHasHeaderAndAdler() throws {
    let data = Array("hello hello hello".utf8)
    let z = Deflate.zlib(data)
    #expect(z[0] == 0x78 && (Int(z[0]) * 256 + Int(z[1])) % 31 == 0)
    let adler = z.suffix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    #expect(adler == Adler32.checksum(data))
    #expect(try inflate(Array(z.dropFirst(2).dropLast(4))) == data)
  }

  @Test(arguments: [1, 3])
  func pngRoundTripsThroughItsChunks(channels: Int) throws {
    let (w, h) = (37, 23)
    let pixels = (0..<(w * h * channels)).map { UInt8(truncatingIfNeeded: ($0 * 31) ^ ($0 / 37 * 5)) }
    let png = PNGEncoder.encode(width: w, height: h, channels: channels, pixels: pixels)
    let chunks = try #require(pngChunks(png))
    #expect(chunks.map(\.0) == ["IHDR", "IDAT", "IEND"])
    for (type, data, crc) in chunks {
      #expect(CRC32.checksum(Array(type.utf8) + data) == crc, "\(type) CRC")
    }
    let ihdr = chunks[0].1
    #expect(ihdr[8] == 8 && ihdr[9] == (channels == 1 ? 0 : 2))
    let idat = chunks[1].1
    let raw = try inflate(Array(idat.dropFirst(2).dropLast(4)))
    #expect(raw.count == h * (w * channels + 1))
    #expect(unfilter(raw, width: w, height: h, channels: channels) == pixels)
  }

  @Test func base64MatchesRFC4648Vectors() {
    let vectors = ["": "", "f": "Zg==", "fo": "Zm8=", "foo": "Zm9v", "foob": "Zm9vYg==", "fooba": "Zm9vYmE=", "foobar": "Zm9vYmFy"]
    for (input, output) in vectors { #expect(Base64.encode(Array(input.utf8)) == output) }
  }

  @Test func rasterDownsamplesAndQuantises() {
    let r = Raster(width: 4, height: 2, channels: 1, bytes: [0, 10, 100, 200, 20, 30, 100, 100])
    let half = r.downsampled(by: 2)
    #expect(half.width == 2 && half.height == 1 && half.bytes == [15, 125])
    #expect(Raster(width: 2, height: 1, channels: 1, values: [-1, 2]).bytes == [0, 255])
    #expect(r.quantized(levels: 2).bytes == [0, 0, 0, 255, 0, 0, 0, 0])
  }

  @Test func flatFramesCompressWell() {
    let flat = Raster(width: 160, height: 120, channels: 1, bytes: [UInt8](repeating: 128, count: 160 * 120))
    #expect(flat.png().count < 400, "a flat frame is a few hundred bytes, not 19 KB")
  }
}
