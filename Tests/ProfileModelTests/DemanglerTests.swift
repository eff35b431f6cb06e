import Foundation
import Testing
import TestSupport
@testable import ProfileModel

/// The demangler gives what pprof's demangle step gives: `demangle.Filter(name, NoParams,
/// NoTemplateParams)` of the library vendored in Go 1.19, nil where that returns the name itself.
@Suite struct DemanglerTests {
    /// The fixture's pairs; nil where the library leaves the name unchanged.
    static let pairs: [(mangled: String, expected: String?)] = {
        guard let text = try? String(contentsOfFile: Fixtures.path("demangle/pprof-filter.tsv"), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            if line.hasPrefix("#") { return nil }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 2 else { return nil }
            return (String(fields[0]), fields[1].isEmpty ? nil : String(fields[1]))
        }
    }()

    @Test func matchesTheLibraryOnTheFixture() {
        #expect(Self.pairs.count == 3457)
        var differences: [String] = []
        for (mangled, expected) in Self.pairs {
            let got = PprofDemangler.demangle(mangled)
            if got != expected { differences.append("\(mangled): \(got ?? "nil") instead of \(expected ?? "nil")") }
        }
        #expect(differences.isEmpty, "\(differences.count) of \(Self.pairs.count) differ, first: \(differences.prefix(5))")
    }

    @Test(arguments: [
        // Nested names, std:: abbreviations, substitutions, template arguments dropped.
        ("_ZN3foo3barEv", "foo::bar"),
        ("_ZNSt6vectorIiSaIiEE9push_backERKi", "std::vector::push_back"),
        ("_ZNKSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEE4sizeEv", "std::__cxx11::basic_string::size"),
        ("_ZNSs6appendEPKc", "std::string::append"),
        ("_ZNSi4readEPcl", "std::istream::read"),
        ("_ZN9__gnu_cxx13new_allocatorIPKcE8allocateEmPKv", "__gnu_cxx::new_allocator::allocate"),
        ("_ZN4llvm12DenseMapBaseINS_8DenseMapIPKviEES3_iE4growEj", "llvm::DenseMapBase::grow"),
        // Constructors and destructors, the long names for std streams.
        ("_ZN3FooC2Ev", "Foo::Foo"),
        ("_ZN3FooD0Ev", "Foo::~Foo"),
        ("_ZNSdC1Ev", "std::basic_iostream::basic_iostream"),
        ("_ZNSsD1Ev", "std::basic_string::~basic_string"),
        // Operators, conversion operators, qualified and ref-qualified methods.
        ("_ZN3FoonwEm", "Foo::operator new"),
        ("_ZN3FooclEv", "Foo::operator()"),
        ("_ZNK3FooixEi", "Foo::operator[]"),
        ("_ZNK3FoocviEv", "Foo::operator int"),
        ("_ZNKR3Foo3getEv", "Foo::get"),
        ("_ZNO3Foo3getEv", "Foo::get"),
        ("_ZN3FooltERKS_", "Foo::operator<"),
        ("_Zli4_litPKc", "operator\"\" _lit"),
        // Local names print their function's parameters; lambdas, ABI tags, anonymous namespaces.
        ("_ZZN3foo3barEvE1x", "foo::bar()::x"),
        ("_ZZ4mainENKUliE_clEi", "main::{lambda(int)#1}::operator()"),
        ("_ZN12_GLOBAL__N_13fooEv", "(anonymous namespace)::foo"),
        ("_ZZ13local_staticsvE1sB5cxx11", "local_statics()::s[abi:cxx11]"),
        // Special names.
        ("_ZTV3Foo", "vtable for Foo"),
        ("_ZTIN3foo3BarE", "typeinfo for foo::Bar"),
        ("_ZTSPFviE", "typeinfo name for void (*)(int)"),
        ("_ZThn8_N3foo3barEv", "non-virtual thunk to foo::bar()"),
        ("_ZTv0_n24_N3foo3barEv", "virtual thunk to foo::bar()"),
        ("_ZGVZ4mainE1x", "guard variable for main::x"),
        ("_ZTW7tls_var", "TLS wrapper function for tls_var"),
        // Clone suffixes go with the parameters; clang blocks; global constructors print both.
        ("_ZN3foo3barEv.cold", "foo::bar"),
        ("_ZN3foo3barEv.isra.0", "foo::bar"),
        ("___ZN1n1SIiE3runEi_block_invoke_2", "invocation function for block in n::S::run"),
        ("_GLOBAL__I__Z1fv.cold", "global constructors keyed to f() [clone .cold]"),
        ("_GLOBAL__D__ZN1a1bEv", "global destructors keyed to a::b()"),
        // Rust: legacy names lose their hash; v0 names keep their generic arguments.
        ("_ZN4core3fmt5write17h0123456789abcdefE", "core::fmt::write"),
        // A hash of fewer than 5 distinct digits is not one: a C++ name then.
        ("_ZN4core3fmt5write17h0000000000000000E", "core::fmt::write::h0000000000000000"),
        ("_ZN60_$LT$std..io..error..Error$u20$as$u20$core..fmt..Display$GT$3fmt17h1a2b3c4d5e6f7081E",
         "<std::io::error::Error as core::fmt::Display>::fmt"),
        ("_RNvNtCs1234_7mycrate3foo3bar", "mycrate::foo::bar"),
        ("_RNvC1a1b.llvm.1", "a::b"),
        // Without the parameters, whatever follows the name is not looked at.
        ("_ZN3foo3barEv_", "foo::bar"),
        ("_RINvCs6GmmlP4bgsG_1r15generic_closureNCNvB2_4mains2_0EB2_", "r::generic_closure::<r::main::{closure#4}>"),
        ("_RINvNtCs6GmmlP4bgsG_1ru13ncd_dma1a7bzbu8nave_6paINtNtCslNYArtu3iFV_5alloc3vec3VeclEEB4_",
         "r::ünïcödé::naïve::<alloc::vec::Vec<i32>>"),
    ])
    func demangles(_ mangled: String, _ expected: String) {
        #expect(PprofDemangler.demangle(mangled) == expected)
    }

    @Test(arguments: [
        "main", "foo::bar", "_GLOBAL__sub_I_foo.cpp", "_GLOBAL_OFFSET_TABLE_", "_Z", "_ZN3foo", "_Z3fooI",
        "_ZNK", "_ZTIPFvE", "_Z1fIT_E", "_ZNS_3fooE", "_ZN3foo3barB", "_RNvC1a", "_R0NvC1a1b", "___Z3foo",
        "_ZN4pyoS0_35impl_7pyclass18tp_dealloc_with_gc17h7d42774b870fe790E",  // the library panics
        "_ZZNO1aC21aIA_St12_GLOBAL__N_1EEPUt1_VDOT_EsEd_S__0VUt1_RDuDpDa",      // the library panics
        "", "_", "__", "\u{0}", "_Z\u{FFFD}",
    ])
    func leavesAlone(_ name: String) {
        #expect(PprofDemangler.demangle(name) == nil)
    }

    @Test func pprofFunctionNamesGoThroughTheDemangler() {
        #expect(PprofFunctionName.of(name: "", systemName: "_ZN3foo3barEv") == "foo::bar")
        #expect(PprofFunctionName.of(name: "_ZN3foo3barEv", systemName: "_ZN3foo3barEv") == "foo::bar")
        // A name already demangled is kept, as pprof keeps it.
        #expect(PprofFunctionName.of(name: "foo::bar(int)", systemName: "_ZN3foo3barEi") == "foo::bar(int)")
        // Names the library does not demangle still get pprof's heuristics.
        #expect(PprofFunctionName.of(name: "", systemName: "std::vector<int>::push_back(int)") == "std::vector::push_back")
        #expect(PprofFunctionName.of(name: "main.main", systemName: "main.main") == "main.main")
    }
}

/// Hostile names: nothing traps, nothing runs away.
@Suite struct DemanglerRobustnessTests {
    /// Random edits of the fixture's names (truncations, deletions, insertions of mangling
    /// letters, duplicated and spliced pieces), from a fixed seed.
    @Test func mutatedNamesNeitherTrapNorRunAway() {
        let names = DemanglerTests.pairs.map { Array($0.mangled.utf8) }
        #expect(!names.isEmpty)
        var rng = SplitMix64(seed: 0x5EED)
        let pieces = ["E", "I", "S_", "S0_", "T_", "N", "Z", "L", "Dp", "Dt", "sp", "fp", "J", "St", "C1", "D0", "cv", "Ul",
                      "Ut", "B", "v", "R", "K", "F", "X", "srN", "Tn", "Ty", "DO", "so", "il", "nw", "cl", "dt", "_", "0", "9",
                      "17h", "$LT$", "$u20$", "..", "s_", "u", "G0_", "p", "B_", "B1_", "NvC", "Iu", "KpE"].map { Array($0.utf8) }
        let start = Date()
        var slowest = 0.0
        for _ in 0 ..< 20_000 {
            var s = names[rng.next(names.count)]
            for _ in 0 ... rng.next(3) {
                guard !s.isEmpty else { break }
                let i = rng.next(s.count + 1), j = min(s.count, i + 1 + rng.next(12))
                switch rng.next(6) {
                case 0: s.removeSubrange(i...)
                case 1: s.removeSubrange(i ..< j)
                case 2: s.insert(contentsOf: pieces[rng.next(pieces.count)], at: i)
                case 3: s.insert(contentsOf: s[i ..< j], at: rng.next(s.count + 1))
                case 4: s.replaceSubrange(i ..< j, with: names[rng.next(names.count)].suffix(rng.next(40)))
                default: if i < s.count { s[i] = UInt8.random(in: 0x30 ... 0x7A, using: &rng) }
                }
            }
            let name = String(decoding: s, as: UTF8.self)
            let t0 = Date()
            _ = PprofDemangler.demangle(name)
            slowest = max(slowest, Date().timeIntervalSince(t0))
        }
        #expect(slowest < 2, "slowest mutated name took \(slowest) s")
        #expect(Date().timeIntervalSince(start) < 120)
    }

    /// Names built to nest deeply, to make the library copy and print exponentially, or just long.
    static let hostile: [String] = {
        func subs(_ n: Int, _ body: (String) -> String) -> String {
            (0 ..< n).map { body($0 == 0 ? "" : String($0 - 1, radix: 36).uppercased()) }.joined()
        }
        return [
            "_Z1fI" + String(repeating: "P", count: 20_000) + "iE",
            "_Z1fI" + String(repeating: "1aI", count: 5_000) + "i" + String(repeating: "E", count: 5_001),
            "_Z1fIX" + String(repeating: "ng", count: 10_000) + "Li1EEE",
            "_Z1fIX" + String(repeating: "cl", count: 5_000) + "Li1E" + String(repeating: "E", count: 5_000) + "EEv",
            "_Z" + String(repeating: "Z1f", count: 3_000) + "v" + String(repeating: "E1a", count: 3_000),
            "_ZTI" + String(repeating: "PFv", count: 5_000) + "i" + String(repeating: "E", count: 5_000),
            "_ZN1a" + String(repeating: "Ul", count: 3_000) + "iE_" + String(repeating: "E_", count: 3_000) + "E",
            // Each function type takes the previous one twice: exponential output.
            "_ZTIFv" + subs(2_000) { "PFvS\($0)_S\($0)_E" } + "E",
            "_ZZ1fvE1aIFv" + subs(2_000) { "PFvS\($0)_S\($0)_E" } + "EE",
            "_Z1fIPi" + subs(3_000) { "PS\($0)_" } + "E",
            "_Z1fIN1a1b1c1d1e1f1g1h1i1jE" + String(repeating: "S0_", count: 15_000) + "E",
            "_GLOBAL__I__Z1fI" + String(repeating: "S_", count: 20_000) + "E",
            "_Z1fIX" + String(repeating: "fLpl", count: 5_000) + "T_EEv",
            "_R" + String(repeating: "NvNtNt", count: 5_000) + "C1a" + String(repeating: "1b1c1d", count: 5_000),
            "_RINvC1a1fT" + String(repeating: "B7_", count: 20_000) + "EE",
            "_RINvC1a1f" + (0 ..< 40).map { "TB\($0 == 0 ? "" : String($0 - 1))_B\($0 == 0 ? "" : String($0 - 1))_E" }.joined() + "E",
            "_RNvC1au30000" + String(repeating: "a", count: 30_000),
            "_ZN" + String(repeating: "3foo", count: 15_000) + "17h0123456789abcdefE",
            "___Z1f" + String(repeating: "_block_invoke", count: 4_000),
            "_Z" + String(repeating: "x", count: PprofDemangler.maxLength),
        ]
    }()

    @Test func hostileNamesEndQuickly() {
        for name in Self.hostile {
            let t0 = Date()
            _ = PprofDemangler.demangle(name)
            let seconds = Date().timeIntervalSince(t0)
            #expect(seconds < 5, "\(name.prefix(30))... took \(seconds) s")
        }
    }

    /// The depth limits keep the recursion within a thread's stack: 4 MiB here, in a debug
    /// build (a release build needs under 256 KiB).
    @Test func deepNamesFitInAThreadStack() {
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            for name in Self.hostile { _ = PprofDemangler.demangle(name) }
            done.signal()
        }
        thread.stackSize = 4 << 20
        thread.start()
        #expect(done.wait(timeout: .now() + 300) == .success)
    }
}
