/// Field numbers of google/pprof's `profile.proto`, one namespace per message.
///
/// The decoder switches on these; a field not listed here is skipped, so profiles written by a
/// newer profile.proto still load.
enum ProfileProto {
    enum Profile {
        static let sampleType: UInt64 = 1
        static let sample: UInt64 = 2
        static let mapping: UInt64 = 3
        static let location: UInt64 = 4
        static let function: UInt64 = 5
        static let stringTable: UInt64 = 6
        static let dropFrames: UInt64 = 7
        static let keepFrames: UInt64 = 8
        static let timeNanos: UInt64 = 9
        static let durationNanos: UInt64 = 10
        static let periodType: UInt64 = 11
        static let period: UInt64 = 12
        static let comment: UInt64 = 13
        static let defaultSampleType: UInt64 = 14
        static let docURL: UInt64 = 15

        /// The wire types each field may have: messages and strings are length-delimited,
        /// integers are varints, and the repeated integer `comment` may also come packed.
        static func accepts(field: UInt64, wire: WireType) -> Bool {
            switch field {
            case sampleType, sample, mapping, location, function, stringTable, periodType:
                return wire == .lengthDelimited
            case comment:
                return wire == .varint || wire == .lengthDelimited
            case dropFrames, keepFrames, timeNanos, durationNanos, period, defaultSampleType, docURL:
                return wire == .varint
            default:
                return false
            }
        }

        /// Whether profile.proto defines the field at all.
        static func isKnown(_ field: UInt64) -> Bool { field >= sampleType && field <= docURL }
    }

    enum ValueType {
        static let type: UInt64 = 1
        static let unit: UInt64 = 2
    }

    enum Sample {
        static let locationID: UInt64 = 1
        static let value: UInt64 = 2
        static let label: UInt64 = 3
    }

    enum Label {
        static let key: UInt64 = 1
        static let str: UInt64 = 2
        static let num: UInt64 = 3
        static let numUnit: UInt64 = 4
    }

    enum Mapping {
        static let id: UInt64 = 1
        static let memoryStart: UInt64 = 2
        static let memoryLimit: UInt64 = 3
        static let fileOffset: UInt64 = 4
        static let filename: UInt64 = 5
        static let buildID: UInt64 = 6
        static let hasFunctions: UInt64 = 7
        static let hasFilenames: UInt64 = 8
        static let hasLineNumbers: UInt64 = 9
        static let hasInlineFrames: UInt64 = 10
    }

    enum Location {
        static let id: UInt64 = 1
        static let mappingID: UInt64 = 2
        static let address: UInt64 = 3
        static let line: UInt64 = 4
        static let isFolded: UInt64 = 5
    }

    enum Line {
        static let functionID: UInt64 = 1
        static let line: UInt64 = 2
        static let column: UInt64 = 3
    }

    enum Function {
        static let id: UInt64 = 1
        static let name: UInt64 = 2
        static let systemName: UInt64 = 3
        static let filename: UInt64 = 4
        static let startLine: UInt64 = 5
    }
}
