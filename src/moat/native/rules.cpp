// Documentation of the native-code rules (moat explain MOAT-Nxxx, SARIF help, docs/native.md).
#include <array>

#include "moat/native/native.hpp"

namespace moat::native {

namespace {

constexpr std::array<RuleDoc, 14> kRuleDocs = {{
    {"MOAT-N001", "vulnerable-bundled-library",
     "A C library inside a binary (copied in by auditwheel/delocate/delvewheel, or linked statically into an "
     "extension module) whose version is affected by a known CVE in moat's native vulnerability data.",
     "Python advisory databases do not cover most bundled C code: the vulnerability ships with the wheel and no "
     "Python-level scanner reports it.",
     "pkg.libs/libcrypto-55019c10.so.3 containing \"OpenSSL 3.0.17 1 Jul 2025\" (CVE-2025-9230 and others)",
     "Rebuild the wheel against a fixed release of the library (the finding names the fixed version) and "
     "publish a new release. Distribution builds may carry backported fixes: check the build's provenance.",
     "https://osv.dev/\nhttps://openssl-library.org/news/vulnerabilities/\nhttps://curl.se/docs/security.html"},
    {"MOAT-N002", "malformed-binary",
     "An ELF, Mach-O or PE file whose headers or tables are truncated, overlap the end of the file or "
     "contradict each other.",
     "Loaders and security tools disagree on malformed binaries; hand-crafted headers are a way to hide code "
     "from analysis. At best the file is corrupt.",
     "a .so whose program header table runs past the end of the file",
     "Rebuild the binary; never ship files edited by hand.", ""},
    {"MOAT-N003", "executable-stack",
     "An ELF object with an executable PT_GNU_STACK (or none at all), a Mach-O image with "
     "MH_ALLOW_STACK_EXECUTION, or a PE image without NX_COMPAT (DEP).",
     "Loading one such shared object makes the whole process's stack executable, turning any stack overflow "
     "into code execution.",
     "an extension module with assembly sources lacking a .note.GNU-stack section",
     "Mark assembly sources with .section .note.GNU-stack,\"\",@progbits, link with -z noexecstack, or pass "
     "/NXCOMPAT on Windows.",
     "https://www.redhat.com/en/blog/linkers-warnings-about-executable-stacks-and-segments"},
    {"MOAT-N004", "no-relro",
     "An ELF executable or shared object without a PT_GNU_RELRO segment.",
     "Without RELRO the global offset table and other relocated data stay writable for the process's life, an "
     "easy target for memory-corruption exploits. Full RELRO also needs -z now.",
     "linked with -Wl,-z,norelro", "Link with -Wl,-z,relro,-z,now.", "https://www.redhat.com/en/blog/hardening-elf-binaries-using-relocation-read-only-relro"},
    {"MOAT-N005", "text-relocations",
     "An ELF object with DT_TEXTREL or DF_TEXTREL: the loader must write into its code pages.",
     "Writable code defeats W^X, is refused by hardened kernels (SELinux execmod) and shows the code was not "
     "compiled as position independent.",
     "a shared library built from objects compiled without -fPIC", "Compile every object with -fPIC.", ""},
    {"MOAT-N006", "no-stack-protector",
     "An ELF object that imports libc functions but never __stack_chk_fail: nothing was compiled with "
     "-fstack-protector.",
     "Stack canaries stop most linear stack buffer overflows from reaching the return address. Some libraries "
     "legitimately have no protected functions (no stack arrays), hence the low confidence.",
     "a library built with CFLAGS=-O2 only", "Compile with -fstack-protector-strong.", ""},
    {"MOAT-N007", "not-fortified",
     "An ELF object that imports fortifiable libc functions (memcpy, strcpy, sprintf, read, ...) but none of "
     "their __*_chk variants.",
     "_FORTIFY_SOURCE turns many buffer overflows with known sizes into clean aborts. The check counts "
     "fortified against fortifiable imports, like checksec.",
     "built with -O0, or without -D_FORTIFY_SOURCE=2", "Compile with -O2 -D_FORTIFY_SOURCE=2 (or 3).", ""},
    {"MOAT-N008", "not-pie",
     "An executable (ELF ET_EXEC, Mach-O without MH_PIE) that is not position independent.",
     "Its code is always at the same address, so ASLR cannot hide gadgets from an attacker.",
     "linked with -no-pie", "Compile with -fPIE and link with -pie.", ""},
    {"MOAT-N009", "dangerous-library-search-path",
     "An RPATH/RUNPATH (or Mach-O LC_RPATH) entry that is absolute (a build-machine leftover such as "
     "/usr/local/lib), world-writable (/tmp, /var/tmp, /dev/shm), empty or relative (resolved against the "
     "current directory). $ORIGIN/@loader_path entries, normal for repaired wheels, are fine.",
     "The loader searches these directories for the binary's dependencies: anyone who can write there, or who "
     "controls the current directory, can make the process load their code.",
     "RPATH=/tmp/build/lib:$ORIGIN/../lib",
     "Set only $ORIGIN-relative paths (auditwheel repair does) or none: patchelf --set-rpath '$ORIGIN'.",
     "https://github.com/pypa/auditwheel"},
    {"MOAT-N010", "wrong-platform-tag",
     "A wheel whose binaries need newer glibc/libstdc++ symbol versions than its manylinux tag promises, or "
     "whose musllinux/manylinux tag contradicts the C library they link.",
     "pip installs the wheel on systems it claims to support, where importing it then fails with "
     "\"version `GLIBC_2.28' not found\".",
     "a wheel tagged manylinux2014_x86_64 whose extension needs GLIBC_2.28",
     "Build in the manylinux image of the tag you publish and run auditwheel repair, which computes the tag.",
     "https://peps.python.org/pep-0600/\nhttps://github.com/pypa/auditwheel"},
    {"MOAT-N011", "pe-no-aslr",
     "A PE image without IMAGE_DLLCHARACTERISTICS_DYNAMIC_BASE, or with its base relocations stripped.",
     "The image always loads at its preferred address, so ASLR does not protect it. Older MinGW builds often "
     "lack it.",
     "a DLL linked by an old MinGW without --dynamicbase", "Link with /DYNAMICBASE (MinGW: -Wl,--dynamicbase).", ""},
    {"MOAT-N012", "pe-no-cfg",
     "A PE image built without Control Flow Guard.",
     "CFG checks indirect call targets, blocking many code-reuse attacks on Windows.",
     "a DLL compiled without /guard:cf", "Compile and link with /guard:cf.", ""},
    {"MOAT-N013", "macho-absolute-dependency",
     "A Mach-O image that loads a library from /usr/local or /opt (Homebrew, MacPorts) instead of a bundled "
     "@loader_path copy.",
     "The wheel works only on machines that happen to have that library there, and whoever can write there "
     "controls code loaded into Python.",
     "LC_LOAD_DYLIB /opt/homebrew/opt/openssl@3/lib/libssl.3.dylib",
     "Run delocate-wheel so that dependencies are copied into the wheel and referenced via @loader_path.",
     "https://github.com/matthew-brett/delocate"},
    {"MOAT-N014", "sbom-mismatch",
     "A wheel whose auditwheel SBOM (.dist-info/sboms/auditwheel.cdx.json) names a distribution package for a "
     "bundled library at a different version than the binaries contain, or an SBOM moat cannot read.",
     "Vulnerability scanners that trust the SBOM (pip-audit, grype) then check the wrong version: the wheel "
     "was altered after repair, or the library was replaced without updating the SBOM.",
     "the SBOM lists libssl3 3.0.17-1~deb12u2 while demo.libs/libcrypto-1a2b3c4d.so.3 contains OpenSSL 3.0.22",
     "Run auditwheel repair again on the final build so the SBOM describes the libraries actually shipped.",
     "https://peps.python.org/pep-0770/\nhttps://github.com/pypa/auditwheel"},
}};

}  // namespace

std::span<const RuleDoc> native_rule_docs() { return kRuleDocs; }

}  // namespace moat::native
