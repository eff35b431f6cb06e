import Foundation
import SystemIO
#if os(Linux)
import Glibc
#endif

/// Watches profile sources and reports when something in them changes.
///
/// It watches folders rather than files (inotify on Linux), because profilers and copy tools
/// often replace a file by renaming a new one over it, which a watch on the old file misses.
/// Where inotify is unavailable (other systems, or a system out of inotify watches) it polls
/// the sources' signatures every `pollInterval`.
/// Events are reported on `queue`; the caller debounces them.
final class FileWatcher: @unchecked Sendable {
    private let queue: DispatchQueue
    private let onChange: @Sendable ([String]) -> Void
    private let lock = NSLock()
    // Guarded by `lock`: the inotify descriptor, what is watched, the polling state.
    private var fd: Int32 = -1
    private var watches: [Int32: String] = [:]
    private var watchedPaths: Set<String> = []
    private var polled: [String: Int?] = [:]
    private var pollTimer: DispatchSourceTimer?
    private let pollInterval: Double
    /// Written to stop the inotify reader, which waits on it beside the inotify descriptor.
    private var stopPipe: (read: Int32, write: Int32) = (-1, -1)

    init(queue: DispatchQueue, pollInterval: Double = 2.0, useInotify: Bool = true, onChange: @escaping @Sendable ([String]) -> Void) {
        self.queue = queue
        self.pollInterval = pollInterval
        self.onChange = onChange
        #if os(Linux)
        let descriptor = useInotify ? inotify_init1(Int32(IN_CLOEXEC)) : -1
        if descriptor >= 0, let pipe = FileDescriptorIO.makePipe() {
            fd = descriptor
            stopPipe = pipe
            let stop = pipe.read
            let thread = Thread { [weak self] in self?.readEvents(descriptor, stop: stop) }
            thread.name = "profilelens-watcher"
            thread.start()
        }
        #endif
    }

    /// Stops watching: the reader thread ends and closes the descriptors; polling stops.
    func stop() {
        lock.withLock {
            pollTimer?.cancel()
            pollTimer = nil
            if stopPipe.write >= 0 {
                FileDescriptorIO.writeAll(stopPipe.write, [1])
                FileDescriptorIO.close(stopPipe.write)
                stopPipe.write = -1
            }
        }
    }

    deinit {
        stop()
    }

    /// Replaces what is watched: folders are watched themselves, files through their folder.
    func watch(_ paths: [String]) {
        var folders = Set<String>()
        for path in paths {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                folders.insert(path)
            } else {
                folders.insert((path as NSString).deletingLastPathComponent)
            }
        }
        lock.withLock {
            watchedPaths = Set(paths)
            #if os(Linux)
            if fd >= 0 {
                let wanted = folders
                for (wd, folder) in watches where !wanted.contains(folder) {
                    inotify_rm_watch(fd, wd)
                    watches[wd] = nil
                }
                let present = Set(watches.values)
                for folder in wanted where !present.contains(folder) {
                    let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_ATTRIB)
                    let wd = inotify_add_watch(fd, folder, mask)
                    if wd >= 0 { watches[wd] = folder }
                }
                return
            }
            #endif
            startPolling(paths + Array(folders))
        }
    }

    /// Must be called with `lock` held.
    private func startPolling(_ paths: [String]) {
        polled = Dictionary(uniqueKeysWithValues: Set(paths).map { ($0, Self.pollSignature($0)) })
        guard pollTimer == nil else { return }
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + pollInterval, repeating: pollInterval)
        timer.setEventHandler { [weak self] in self?.poll() }
        timer.resume()
        pollTimer = timer
    }

    private func poll() {
        let changed: [String] = lock.withLock {
            var changed: [String] = []
            for (path, old) in polled {
                let new = Self.pollSignature(path)
                if new != old {
                    polled[path] = new
                    changed.append(path)
                }
            }
            return changed
        }
        if !changed.isEmpty { onChange(changed) }
    }

    /// A folder's signature covers its entries (names, sizes, times), so that a new, removed,
    /// replaced or rewritten file shows.
    private static func pollSignature(_ path: String) -> Int? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
        var hasher = Hasher()
        hasher.combine(FileSignature(path))
        if isDirectory.boolValue {
            for name in ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() {
                hasher.combine(name)
                hasher.combine(FileSignature(path + "/" + name))
            }
        }
        return hasher.finalize()
    }

    #if os(Linux)
    private func readEvents(_ descriptor: Int32, stop: Int32) {
        defer {
            close(descriptor)
            close(stop)
        }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            var fds = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0), pollfd(fd: stop, events: Int16(POLLIN), revents: 0)]
            if Glibc.poll(&fds, 2, -1) < 0 {
                if errno == EINTR { continue }
                return
            }
            if fds[1].revents != 0 { return }
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return }
            var changed: [String] = []
            var offset = 0
            lock.withLock {
                buffer.withUnsafeBytes { raw in
                    while offset + MemoryLayout<inotify_event>.size <= count {
                        let event = raw.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                        let nameStart = offset + MemoryLayout<inotify_event>.size
                        let nameLength = Int(event.len)
                        guard nameStart + nameLength <= count else { break }
                        var name = ""
                        if nameLength > 0 {
                            let bytes = raw[nameStart ..< nameStart + nameLength].prefix { $0 != 0 }
                            name = String(decoding: bytes, as: UTF8.self)
                        }
                        if let folder = watches[event.wd] {
                            let path = name.isEmpty ? folder : folder + "/" + name
                            // Hidden files are temporaries (editors, `cp` to `.x.tmp`, our own probes).
                            if !name.hasPrefix(".") { changed.append(path) }
                        }
                        offset = nameStart + nameLength
                    }
                }
            }
            if !changed.isEmpty {
                let paths = changed
                queue.async { self.onChange(paths) }
            }
        }
    }
    #endif
}
