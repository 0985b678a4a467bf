import XCTest
@testable import Captions
final class PlaceholderCaptionTests: XCTestCase {}
