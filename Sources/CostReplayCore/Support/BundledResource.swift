#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import Foundation

/// Files shipped inside the CostReplayCore bundle (the built-in price data).
enum BundledResource {
    static func bytes(_ name: String) throws(PriceError) -> [UInt8] {
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        guard let url = Bundle.module.url(forResource: parts[0], withExtension: parts.count > 1 ? parts[1] : nil,
                                          subdirectory: "Resources"),
              let data = try? Data(contentsOf: url) else {
            throw PriceError.unreadable(path: name, reason: "bundled resource is missing")
        }
        return [UInt8](data)
    }
}
