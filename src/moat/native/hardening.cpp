#include "moat/native/hardening.hpp"

#include <algorithm>
#include <array>
#include <set>

#include "moat/native/version.hpp"

namespace moat::native {

namespace {

// libc functions with a _FORTIFY_SOURCE checked variant: every __<name>_chk glibc 2.36 exports
// (the list checksec also derives from libc.so.6), so both tools count the same functions.
constexpr std::array<std::string_view, 79> kFortifiable = {
    "asprintf", "confstr", "dprintf", "explicit_bzero", "fdelt", "fgets", "fgets_unlocked", "fgetws",
    "fgetws_unlocked", "fprintf", "fread", "fread_unlocked", "fwprintf", "getcwd", "getdomainname", "getgroups",
    "gethostname", "getlogin_r", "gets", "getwd", "longjmp", "mbsnrtowcs", "mbsrtowcs", "mbstowcs", "memcpy",
    "memmove", "mempcpy", "memset", "obstack_printf", "obstack_vprintf", "poll", "ppoll", "pread64", "pread",
    "printf", "ptsname_r", "read", "readlink", "readlinkat", "realpath", "recv", "recvfrom", "snprintf", "sprintf",
    "stpcpy", "stpncpy", "strcat", "strcpy", "strncat", "strncpy", "swprintf", "syslog", "ttyname_r", "vasprintf",
    "vdprintf", "vfprintf", "vfwprintf", "vprintf", "vsnprintf", "vsprintf", "vswprintf", "vsyslog", "vwprintf",
    "wcpcpy", "wcpncpy", "wcrtomb", "wcscat", "wcscpy", "wcsncat", "wcsncpy", "wcsnrtombs", "wcsrtombs", "wcstombs",
    "wctomb", "wmemcpy", "wmemmove", "wmempcpy", "wmemset", "wprintf"};

constexpr std::uint16_t kPeDynamicBase = 0x40, kPeHighEntropyVa = 0x20, kPeNxCompat = 0x100, kPeGuardCf = 0x4000;
constexpr std::uint16_t kPeRelocsStripped = 0x1;
constexpr std::uint32_t kMachoPie = 0x200000, kMachoAllowStackExecution = 0x20000;

struct Policy {
  int glibc_minor;
  std::string_view glibcxx;
  std::string_view cxxabi;
};
// auditwheel's manylinux policies: the newest libstdc++ symbol versions each one allows.
constexpr std::array<Policy, 10> kPolicies = {{{5, "3.4.8", "1.3.1"},
                                               {12, "3.4.13", "1.3.3"},
                                               {17, "3.4.19", "1.3.7"},
                                               {24, "3.4.22", "1.3.10"},
                                               {27, "3.4.24", "1.3.11"},
                                               {28, "3.4.25", "1.3.11"},
                                               {31, "3.4.28", "1.3.12"},
                                               {34, "3.4.29", "1.3.13"},
                                               {35, "3.4.30", "1.3.13"},
                                               {39, "3.4.33", "1.3.15"}}};

void keep_highest(std::string& highest, std::string_view candidate) {
  if (highest.empty() || compare_versions(candidate, highest) > 0) highest = candidate;
}

int glibc_minor(std::string_view version) {
  const auto dot = version.find('.');
  if (dot == std::string_view::npos) return 0;
  int minor = 0;
  for (const char c : version.substr(dot + 1)) {
    if (c < '0' || c > '9' || minor > 1000) break;
    minor = minor * 10 + (c - '0');
  }
  return minor;
}

// The lowest glibc minor a claimed tag promises to run on, or nullopt for non-manylinux tags.
std::optional<int> claimed_glibc_minor(std::string_view tag) {
  if (tag.starts_with("manylinux1_")) return 5;
  if (tag.starts_with("manylinux2010_")) return 12;
  if (tag.starts_with("manylinux2014_")) return 17;
  if (!tag.starts_with("manylinux_2_")) return std::nullopt;
  int minor = 0;
  for (const char c : tag.substr(12)) {
    if (c < '0' || c > '9' || minor > 1000) break;
    minor = minor * 10 + (c - '0');
  }
  return minor;
}

}  // namespace

std::string_view to_string(Relro relro) {
  switch (relro) {
    case Relro::none: return "none";
    case Relro::partial: return "partial";
    case Relro::full: return "full";
  }
  return "?";
}

std::string_view to_string(SearchPathKind kind) {
  switch (kind) {
    case SearchPathKind::origin_relative: return "origin-relative";
    case SearchPathKind::absolute: return "absolute";
    case SearchPathKind::world_writable: return "world-writable";
    case SearchPathKind::relative: return "relative";
  }
  return "?";
}

SearchPathKind classify_search_path(std::string_view path) {
  for (const std::string_view origin : {"$ORIGIN", "${ORIGIN}", "@loader_path", "@executable_path", "@rpath"})
    if (path.starts_with(origin)) return SearchPathKind::origin_relative;
  if (!path.starts_with('/')) return SearchPathKind::relative;
  for (const std::string_view writable : {"/tmp", "/var/tmp", "/dev/shm"})
    if (path.starts_with(writable) && (path.size() == writable.size() || path[writable.size()] == '/'))
      return SearchPathKind::world_writable;
  return SearchPathKind::absolute;
}

Hardening assess_hardening(const BinaryFacts& facts) {
  Hardening hardening;
  std::set<std::string_view> fortified;
  std::set<std::string_view> plain;
  bool stack_protector = false;
  for (const auto& symbol : facts.symbols) {
    if (symbol.defined) continue;
    const std::string_view name = symbol.name;
    if (name == "__stack_chk_fail" || name == "__stack_chk_guard" || name == "__stack_chk_fail_local") {
      stack_protector = true;
    } else if (name.starts_with("__") && name.ends_with("_chk")) {
      const auto base = name.substr(2, name.size() - 6);
      if (std::ranges::find(kFortifiable, base) != kFortifiable.end()) fortified.insert(base);
    } else if (std::ranges::find(kFortifiable, name) != kFortifiable.end()) {
      plain.insert(name);
    }
  }
  hardening.fortified = static_cast<int>(fortified.size());
  for (const auto name : fortified) plain.erase(name);
  hardening.fortifiable = hardening.fortified + static_cast<int>(plain.size());

  switch (facts.format) {
    case BinaryFormat::elf: {
      const auto& elf = facts.elf;
      hardening.relro = !elf.has_gnu_relro ? Relro::none : (elf.bind_now ? Relro::full : Relro::partial);
      // Without PT_GNU_STACK the loader assumes an executable stack on most architectures.
      hardening.nx = elf.has_gnu_stack && !elf.stack_executable;
      hardening.canary = stack_protector;
      if (facts.kind == BinaryKind::executable) hardening.pie = elf.type == 3;
      hardening.text_relocations = elf.text_relocations;
      if (elf.x86_features) {
        hardening.ibt = (*elf.x86_features & 1) != 0;
        hardening.shadow_stack = (*elf.x86_features & 2) != 0;
      } else if (facts.architecture == "x86_64" || facts.architecture == "i386") {
        hardening.ibt = hardening.shadow_stack = false;
      }
      if (elf.aarch64_features) {
        hardening.bti = (*elf.aarch64_features & 1) != 0;
        hardening.pac = (*elf.aarch64_features & 2) != 0;
      } else if (facts.architecture == "aarch64") {
        hardening.bti = hardening.pac = false;
      }
      for (const auto& path : facts.rpath) hardening.search_paths.push_back({path, "RPATH", classify_search_path(path)});
      for (const auto& path : facts.runpath) hardening.search_paths.push_back({path, "RUNPATH", classify_search_path(path)});
      break;
    }
    case BinaryFormat::pe: {
      const auto flags = facts.pe.dll_characteristics;
      hardening.nx = (flags & kPeNxCompat) != 0;
      hardening.aslr = (flags & kPeDynamicBase) != 0 && (facts.pe.characteristics & kPeRelocsStripped) == 0 &&
                       facts.pe.has_relocations;
      hardening.high_entropy_va = facts.is_64_bit ? std::optional((flags & kPeHighEntropyVa) != 0) : std::nullopt;
      hardening.control_flow_guard = (flags & kPeGuardCf) != 0 || facts.pe.has_guard_cf;
      hardening.canary = facts.pe.has_security_cookie;
      hardening.code_signed = facts.pe.has_certificate;
      break;
    }
    case BinaryFormat::macho: {
      hardening.nx = (facts.macho.flags & kMachoAllowStackExecution) == 0;
      hardening.canary = stack_protector;
      if (facts.kind == BinaryKind::executable) hardening.pie = (facts.macho.flags & kMachoPie) != 0;
      hardening.code_signed = facts.macho.has_code_signature;
      for (const auto& path : facts.rpath) hardening.search_paths.push_back({path, "LC_RPATH", classify_search_path(path)});
      break;
    }
  }
  return hardening;
}

PlatformRequirement platform_requirement(const BinaryFacts& facts) {
  PlatformRequirement requirement;
  if (facts.format != BinaryFormat::elf) return requirement;
  requirement.musl = std::ranges::any_of(facts.needed, [](const std::string& name) { return name.starts_with("libc.musl-"); });
  for (const auto& need : facts.version_needs) {
    for (const auto& version : need.versions) {
      const std::string_view name = version;
      if (name.starts_with("GLIBC_2.")) keep_highest(requirement.highest_glibc, name.substr(6));
      else if (name.starts_with("GLIBCXX_")) keep_highest(requirement.highest_glibcxx, name.substr(8));
      else if (name.starts_with("CXXABI_") && !name.starts_with("CXXABI_TM")) keep_highest(requirement.highest_cxxabi, name.substr(7));
    }
  }
  if (requirement.musl) {
    requirement.satisfied_tag = "musllinux_1_1_" + facts.architecture;
    return requirement;
  }
  int minor = std::max(5, glibc_minor(requirement.highest_glibc));
  requirement.limiting_symbol = requirement.highest_glibc.empty() ? "" : "GLIBC_" + requirement.highest_glibc;
  const auto* policy = std::ranges::find_if(kPolicies, [&](const Policy& candidate) {
    return (requirement.highest_glibcxx.empty() || compare_versions(requirement.highest_glibcxx, candidate.glibcxx) <= 0) &&
           (requirement.highest_cxxabi.empty() || compare_versions(requirement.highest_cxxabi, candidate.cxxabi) <= 0);
  });
  if (policy == kPolicies.end()) {
    requirement.limiting_symbol = "GLIBCXX_" + requirement.highest_glibcxx;
    return requirement;  // newer libstdc++ than any policy allows
  }
  if (policy->glibc_minor > minor) {
    minor = policy->glibc_minor;
    requirement.limiting_symbol = "GLIBCXX_" + requirement.highest_glibcxx;
  }
  requirement.satisfied_glibc_minor = minor;
  requirement.satisfied_tag = "manylinux_2_" + std::to_string(minor) + "_" + facts.architecture;
  return requirement;
}

std::optional<std::string> platform_tag_problem(const PlatformRequirement& requirement, std::string_view claimed) {
  std::optional<int> lowest_claim;
  bool claims_musl = false;
  std::string lowest_tag;
  for (std::size_t start = 0; start <= claimed.size();) {
    const auto dot = claimed.find('.', start);
    const auto tag = claimed.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (const auto minor = claimed_glibc_minor(tag); minor && (!lowest_claim || *minor < *lowest_claim)) {
      lowest_claim = minor;
      lowest_tag = tag;
    }
    if (tag.starts_with("musllinux_")) claims_musl = true;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (claims_musl && !requirement.highest_glibc.empty())
    return "tagged musllinux but needs glibc (" + requirement.limiting_symbol + ")";
  if (!lowest_claim) return std::nullopt;
  if (requirement.musl) return "tagged " + lowest_tag + " but links the musl C library";
  if (requirement.satisfied_tag.empty())
    return "tagged " + lowest_tag + " but needs " + requirement.limiting_symbol + ", newer than any manylinux policy allows";
  if (requirement.satisfied_glibc_minor <= *lowest_claim) return std::nullopt;
  return "tagged " + lowest_tag + " (glibc 2." + std::to_string(*lowest_claim) + ") but needs " +
         requirement.limiting_symbol + ": the binaries satisfy only " + requirement.satisfied_tag;
}

}  // namespace moat::native
