import Testing

@testable import CVKit

@Suite struct ImageTests {
  @Test func storesPixelsRowMajorWithChannelsInterleaved() {
    var image = Image(width: 3, height: 2, channels: 2)
    image[2, 1, 1] = 7
    #expect(image.pixels[(1 * 3 + 2) * 2 + 1] == 7)
    #expect(image.pixel(x: 2, y: 1) == [0, 7])
  }

  @Test func planarOrderPutsEachChannelTogether() {
    let image = Image(width: 2, height: 1, channels: 3, pixels: [1, 2, 3, 4, 5, 6])
    #expect(image.planar() == [1, 4, 2, 5, 3, 6])
  }

  // Half-pixel centres: output x maps to input (x + 0.5)·(2/4) − 0.5 = −0.25, 0.25, 0.75, 1.25,
  // clamped to [0, 1]: weights give 0, 2.5, 7.5, 10 along a row (PyTorch, align_corners=False).
  @Test func bilinearUpscaleOfTwoByTwoMatchesTheHandComputedGrid() {
    let image = Image(rows: [[0, 10], [20, 30]])
    let up = image.resized(width: 4, height: 4)
    #expect(
      up.rows == [
        [0, 2.5, 7.5, 10],
        [5, 7.5, 12.5, 15],
        [15, 17.5, 22.5, 25],
        [20, 22.5, 27.5, 30],
      ])
  }

  // Downscale by 2: output x samples input 2x + 0.5, the mean of each pair of columns.
  @Test func bilinearHalvingAveragesPairs() {
    let image = Image(rows: [[0, 2, 4, 6], [2, 4, 6, 8]])
    let down = image.resized(width: 2, height: 1)
    #expect(down.rows == [[2, 6]])
  }

  @Test func resizeToTheSameSizeIsTheIdentity() {
    let image = Image(rows: [[1, 2, 3], [4, 5, 6]])
    #expect(image.resized(width: 3, height: 2) == image)
  }

  @Test func horizontalFlipMirrorsColumnsAndIsAnInvolution() {
    let image = Image(rows: [[1, 2, 3], [4, 5, 6]])
    #expect(image.flippedHorizontally().rows == [[3, 2, 1], [6, 5, 4]])
    #expect(image.flippedHorizontally().flippedHorizontally() == image)
  }

  @Test func normalisationSubtractsMeanAndDividesByStdPerChannel() {
    let image = Image(width: 1, height: 1, channels: 3, pixels: [0.5, 0.25, 1])
    let n = image.normalized(mean: [0.5, 0.5, 0.5], std: [0.25, 0.5, 0.25])
    #expect(n.pixels == [0, -0.5, 2])
  }

  @Test func channelStatisticsOfAConstantImage() {
    let image = Image(width: 4, height: 4, channels: 2, fill: 0.25)
    let (mean, std) = image.channelStatistics()
    #expect(mean == [0.25, 0.25])
    #expect(std == [0, 0])
  }

  @Test func croppingOutsideTheImageFillsWithTheFillValue() {
    let image = Image(rows: [[1, 2], [3, 4]])
    let c = image.cropped(x: -1, y: 0, width: 3, height: 2, fill: 9)
    #expect(c.rows == [[9, 1, 2], [9, 3, 4]])
  }

  @Test func grayscaleUsesBT601Weights() {
    let image = Image(width: 1, height: 1, channels: 3, pixels: [1, 0, 0])
    #expect(abs(image.grayscale().pixels[0] - 0.299) < 1e-6)
  }
}
