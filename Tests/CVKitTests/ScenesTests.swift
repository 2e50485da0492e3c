import Testing

@testable import CVKit

@Suite struct ScenesTests {
  static let generator = SceneGenerator(seed: 1)

  @Test func sameSeedAndIndexGiveIdenticalFramesAndBoxes() {
    let a = Self.generator.scene(5)
    let b = SceneGenerator(seed: 1).scene(5)
    #expect(a.image == b.image)
    #expect(a.objects == b.objects)
  }

  @Test func aFrameDoesNotDependOnWhichFramesWereGeneratedBefore() {
    let alone = Self.generator.scene(7)
    let inSequence = Self.generator.scenes(8)[7]
    #expect(alone.image == inSequence.image)
  }

  @Test func differentSeedsOrIndicesGiveDifferentFrames() {
    let a = Self.generator.scene(0)
    #expect(SceneGenerator(seed: 2).scene(0).image != a.image)
    #expect(Self.generator.scene(1).image != a.image)
  }

  @Test func framesHaveTheConfiguredSizeAndEightBitValues() {
    let scene = Self.generator.scene(0)
    #expect(scene.image.width == 320 && scene.image.height == 240 && scene.image.channels == 1)
    for v in scene.image.pixels {
      #expect(v >= 0 && v <= 1)
      let level = v * 255
      #expect(abs(level - level.rounded()) < 1e-3)
    }
  }

  @Test func boxesLieInsideTheFrameWithSizesInRange() {
    let config = SceneConfig()
    for scene in Self.generator.scenes(40) {
      #expect(!scene.objects.isEmpty && scene.objects.count <= config.objectCount.upperBound)
      for object in scene.objects {
        let box = object.box
        #expect(box.x1 >= 0 && box.y1 >= 0 && box.x2 <= 320 && box.y2 <= 240)
        #expect(!box.isDegenerate)
        #expect((0...2).contains(object.label))
        // Full extent: 3 px (thin pedestrians) up to a third of the frame width (vehicles).
        let side = max(object.fullBox.width, object.fullBox.height)
        #expect(side >= config.minSize - 1 && side <= 320 / 3 + 1)
        // Objects hidden or cut by more than half are removed from the frame.
        #expect(object.visibleFraction >= config.minVisibleFraction)
        // The visible box lies inside the full extent.
        #expect(box.x1 >= object.fullBox.x1 && box.x2 <= object.fullBox.x2)
        #expect(box.y1 >= object.fullBox.y1 && box.y2 <= object.fullBox.y2)
      }
    }
  }

  @Test func theSetCoversAllClassesSmallObjectsAndOcclusion() {
    let objects = Self.generator.scenes(60).flatMap(\.objects)
    #expect(Set(objects.map(\.label)) == [0, 1, 2])
    #expect(objects.contains { max($0.box.width, $0.box.height) <= 12 })
    #expect(objects.contains { max($0.box.width, $0.box.height) >= 60 })
    #expect(objects.contains { $0.visibleFraction < 1 })
  }

  @Test func lightingAndNoiseVaryWithinTheirRanges() {
    let config = SceneConfig()
    let scenes = Self.generator.scenes(30)
    #expect(scenes.allSatisfy { config.gain.contains($0.gain) && config.noise.contains($0.noise) })
    #expect(Set(scenes.map(\.gain)).count == 30)
  }

  @Test func groundTruthCarriesImageIDLabelAndBox() {
    let scene = Self.generator.scene(2)
    let truths = scene.groundTruths(imageID: 42)
    #expect(truths.count == scene.objects.count)
    #expect(truths.allSatisfy { $0.imageID == 42 && !$0.isCrowd })
    #expect(truths.map(\.box) == scene.objects.map(\.box))
  }

  @Test func asciiRenderingHasTheRequestedWidth() {
    let lines = Self.generator.scene(0).image.ascii(columns: 64)
    #expect(lines.count == 24)
    #expect(lines.allSatisfy { $0.count == 64 })
  }
}
