import Testing
import TestSupport
import PprofFormat
@testable import ProfileModel

/// Kinds are recognised from sample types across languages, and each kind is shown once.
@Suite struct KindTests {
    func kinds(_ relative: String) throws -> [String] {
        let profile = try ProfileFile.load(Fixtures.path("corpus/" + relative)).profile
        return KindRecognizer.classify(profile).map { "\($0.kind.id)/\($0.measure.rawValue)" }
    }

    @Test func recognisesKindsAcrossLanguages() throws {
        #expect(try kinds("goshop/profiles/cpu.pb.gz") == ["cpu/count", "cpu/value"])
        #expect(try kinds("goshop/profiles/heap.pb.gz") == ["alloc/count", "alloc/value", "inuse/count", "inuse/value"])
        #expect(try kinds("goshop/profiles/mutex.pb.gz") == ["mutex/count", "mutex/value"])
        #expect(try kinds("goshop/profiles/block.pb.gz") == ["block/count", "block/value"])
        #expect(try kinds("goshop/profiles/goroutine.pb.gz") == ["goroutine/count"])
        // Pyroscope's go.mutex.pb holds channel and WaitGroup waits: a block profile by content.
        #expect(try kinds("pyroscope/go.mutex.pb") == ["block/count", "block/value"])
        #expect(try kinds("pyroscope/go.block.pb") == ["mutex/count", "mutex/value"])
        #expect(try kinds("pyroscope/java-kafka.lock.pb.gz") == ["mutex/value"])
        #expect(try kinds("pyroscope/java-kafka.alloc.pb.gz") == ["alloc/value"])
        #expect(try kinds("pyroscope/dotnet.cpu.pb") == ["cpu/value", "exception/count", "alloc/count", "alloc/value", "mutex/count", "mutex/value"])
        #expect(try kinds("pyroscope/nodejs.wall.pb.gz") == ["wall/count", "wall/value"])
        #expect(try kinds("pyroscope/nodejs.heap.pb.gz") == ["inuse/count", "inuse/value"])
        #expect(try kinds("pyroscope/python.cpu.pb") == ["cpu/count"])
        #expect(try kinds("pyroscope/rust.cpu.pb") == ["cpu/value"])
    }

    @Test func goServiceProfilesSitSideBySide() throws {
        let folder = Fixtures.path("corpus/goshop/profiles")
        let (files, errors) = ProfileSources.expand([folder])
        #expect(errors.isEmpty)
        #expect(files.count == 6)
        let loaded = try ProfileSources.loadAll(files).map { try $0.get() }
        let set = ProfileSet.build(loaded)
        #expect(set.groups.count == 6)
        #expect(set.kinds.map(\.kind) == [.cpu, .alloc, .inuse, .mutex, .block, .goroutine])
        func source(_ kind: CostKind) -> String {
            let s = set.source(of: kind)!
            let group = set.groups[s.group]
            return "\(group.members[0].path.split(separator: "/").last!):\(s.valueType.map { group.index.sampleTypes[$0].type } ?? "-")/\(s.countType.map { group.index.sampleTypes[$0].type } ?? "-")"
        }
        #expect(source(.cpu) == "cpu.pb.gz:cpu/samples")
        // The allocs profile supplies allocations and the heap profile in-use memory.
        #expect(source(.alloc) == "allocs.pb.gz:alloc_space/alloc_objects")
        #expect(source(.inuse) == "heap.pb.gz:inuse_space/inuse_objects")
        #expect(source(.mutex) == "mutex.pb.gz:delay/contentions")
        #expect(source(.block) == "block.pb.gz:delay/contentions")
        #expect(source(.goroutine) == "goroutine.pb.gz:-/goroutine")
    }

    @Test func sameKindProfilesMerge() throws {
        let a = try ProfileFile.load(Fixtures.path("corpus/goshop/profiles/cpu.pb.gz"))
        let set = ProfileSet.build([a, a])
        #expect(set.groups.count == 1)
        #expect(set.groups[0].members.count == 2)
        #expect(set.groups[0].index.totals == CostIndex.build([a.profile]).totals.map { $0 * 2 })
    }

    @Test func kindNamesAndAliases() {
        #expect(CostKind.named("lock") == .mutex)
        #expect(CostKind.named("heap") == .inuse)
        #expect(CostKind.named("allocs") == .alloc)
        #expect(CostKind.named("nonsense") == nil)
    }
}
