/// The `drop_frames` and `keep_frames` regular expressions google/pprof gives legacy profiles
/// (`addLegacyFrameInfo`), by kind. They must be pprof's, character for character: pruning with
/// them (`^(…)$` against each simplified function name) is what makes the same rows.
enum LegacyFrames {
    /// Heap profiles (`heapz`, Go and gperftools `heap profile:`, growth, Java heap): allocator frames.
    static let allocations = [
        // POSIX
        "calloc", "cfree", "malloc", "free", "memalign", "do_memalign", "(__)?posix_memalign", "pvalloc", "valloc", "realloc",
        // tcmalloc
        "tcmalloc::.*", "tc_calloc", "tc_cfree", "tc_malloc", "tc_free", "tc_memalign", "tc_posix_memalign", "tc_pvalloc",
        "tc_valloc", "tc_realloc", "tc_new", "tc_delete", "tc_newarray", "tc_deletearray", "tc_new_nothrow", "tc_newarray_nothrow",
        // macOS malloc zones
        "malloc_zone_malloc", "malloc_zone_calloc", "malloc_zone_valloc", "malloc_zone_realloc", "malloc_zone_memalign",
        "malloc_zone_free",
        // the Go runtime
        #"runtime\..*"#,
        // other allocation routines
        "BaseArena::.*", "(::)?do_malloc_no_errno", "(::)?do_malloc_pages", "(::)?do_malloc", "DoSampledAllocation",
        "MallocedMemBlock::MallocedMemBlock", "_M_allocate", "__builtin_(vec_)?delete", "__builtin_(vec_)?new",
        "__gnu_cxx::new_allocator::allocate", "__libc_malloc", "__malloc_alloc_template::allocate", "allocate", "cpp_alloc",
        #"operator new(\[\])?"#, "simple_alloc::allocate",
    ].joined(separator: "|")

    /// Go runtime frames kept in heap profiles when they are not at the leaf.
    static let allocationsKept = [#"runtime\.panic"#, #"runtime\.reflectcall"#, #"runtime\.call[0-9]*"#].joined(separator: "|")

    /// Contention profiles: the lock library's own frames.
    static let locks = [
        "RecordLockProfileData", "(base::)?RecordLockProfileData.*", "(base::)?SubmitMutexProfileData.*",
        "(base::)?SubmitSpinLockProfileData.*", "(base::Mutex::)?AwaitCommon.*", "(base::Mutex::)?Unlock.*",
        "(base::Mutex::)?UnlockSlow.*", "(base::Mutex::)?ReaderUnlock.*", "(base::MutexLock::)?~MutexLock.*",
        "(Mutex::)?AwaitCommon.*", "(Mutex::)?Unlock.*", "(Mutex::)?UnlockSlow.*", "(Mutex::)?ReaderUnlock.*",
        "(MutexLock::)?~MutexLock.*", "(SpinLock::)?Unlock.*", "(SpinLock::)?SlowUnlock.*", "(SpinLockHolder::)?~SpinLockHolder.*",
    ].joined(separator: "|")

    /// Every other legacy profile (CPU, threads, goroutines): the CPU profiler's signal handler.
    static let cpuProfiler = ["ProfileData::Add", "ProfileData::prof_handler", "CpuProfiler::prof_handler",
                              "__pthread_sighandler", "__restore"].joined(separator: "|")
}
