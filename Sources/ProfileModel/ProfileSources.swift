import Dispatch
import Synchronization
import PprofFormat
import SystemIO

/// Finding and loading the profile files that the user named, or that a workspace holds.
public enum ProfileSources {
    /// Expands each path: a file stands for itself, a folder for every file directly in it that
    /// starts like a profile (sorted by name). Paths that do not exist are reported.
    public static func expand(_ paths: [String]) -> (files: [String], errors: [ProfileLoadError]) {
        var skipped: [String] = []
        return expand(paths, skipped: &skipped)
    }

    /// `expand`, also listing the files of the folders that were left out because their
    /// content is not a profile (a README, a script beside the profiles).
    public static func expand(_ paths: [String], skipped: inout [String]) -> (files: [String], errors: [ProfileLoadError]) {
        var files: [String] = []
        var errors: [ProfileLoadError] = []
        for path in paths {
            if FilePath.isDirectory(path) {
                var found: [String] = []
                for file in listFolder(path) {
                    if ProfileFile.looksLikeProfile(file) { found.append(file) } else { skipped.append(file) }
                }
                if found.isEmpty { errors.append(ProfileLoadError(file: path, message: "the folder holds no pprof profiles")) }
                files += found
            } else if FilePath.isRegularFile(path) {
                files.append(path)
            } else {
                errors.append(ProfileLoadError(file: path, message: "no such file or folder"))
            }
        }
        return (files, errors)
    }

    /// The regular files directly inside a folder, sorted, skipping hidden ones (editors and
    /// profilers write temporary files like `.cpu.pb.gz.tmp` there while they work).
    static func listFolder(_ path: String) -> [String] {
        let names = (FileSystem.entries(of: path) ?? []).map(\.name).filter { !$0.hasPrefix(".") }
        return names.map { FilePath.join(path, $0) }.filter(FilePath.isRegularFile).sorted()
    }

    /// Loads files in parallel, one result per file, in the order given.
    public static func loadAll(_ files: [String], options: DecodeOptions = DecodeOptions()) -> [Result<LoadedProfile, ProfileLoadError>] {
        if files.count == 1 {
            return [Result { () throws(ProfileLoadError) in try ProfileFile.load(files[0], options: options) }]
        }
        let results = ResultSlots<Result<LoadedProfile, ProfileLoadError>>(count: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            results.set(i, Result { () throws(ProfileLoadError) in try ProfileFile.load(files[i], options: options) })
        }
        return results.values()
    }
}

/// Slots that concurrent workers fill, one each, guarded by a mutex because the array's storage
/// is shared between the workers.
final class ResultSlots<Value: Sendable>: Sendable {
    private let slots: Mutex<[Value?]>

    init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }

    func set(_ index: Int, _ value: Value) {
        slots.withLock { $0[index] = value }
    }

    func values() -> [Value] {
        slots.withLock { $0.compactMap { $0 } }
    }
}
