#pragma once
// checksec-style hardening of one binary (ELF, with the PE and Mach-O equivalents), and the
// platform tag (manylinux/musllinux) its symbol versions actually satisfy.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "moat/native/binary.hpp"

namespace moat::native {

enum class Relro { none, partial, full };
std::string_view to_string(Relro relro);

/// How a library search path entry resolves: beside the binary ($ORIGIN, @loader_path), at a
/// fixed absolute path (a build-machine leftover), in a world-writable directory, or against the
/// process's current directory (empty or relative: hijackable).
enum class SearchPathKind { origin_relative, absolute, world_writable, relative };
std::string_view to_string(SearchPathKind kind);

struct SearchPath {
  std::string path;
  std::string source;  // "RPATH", "RUNPATH", "LC_RPATH"
  SearchPathKind kind = SearchPathKind::origin_relative;
};

struct Hardening {
  std::optional<Relro> relro;        // ELF
  bool nx = true;                    // stack (and for PE: data) not executable
  std::optional<bool> canary;        // stack protector in use
  int fortified = 0;                 // distinct __*_chk imports
  int fortifiable = 0;               // fortified + plain imports that have a _chk variant
  std::optional<bool> pie;           // executables only
  bool text_relocations = false;
  std::optional<bool> ibt, shadow_stack;  // x86 CET (GNU property)
  std::optional<bool> bti, pac;           // AArch64
  std::optional<bool> aslr;               // PE: DYNAMIC_BASE with relocations
  std::optional<bool> high_entropy_va, control_flow_guard, code_signed;
  std::vector<SearchPath> search_paths;
};

Hardening assess_hardening(const BinaryFacts& facts);
SearchPathKind classify_search_path(std::string_view path);

/// What the binary needs from the C/C++ runtime and the manylinux tag that allows it.
struct PlatformRequirement {
  std::string highest_glibc;    // "2.28" ("" when no GLIBC_ versions are needed)
  std::string highest_glibcxx;  // "3.4.21"
  std::string highest_cxxabi;   // "1.3.9"
  bool musl = false;            // links the musl loader
  std::string satisfied_tag;    // "manylinux_2_28_x86_64", "musllinux_1_1_x86_64", "" when none fits
  int satisfied_glibc_minor = 0;  // 28 for manylinux_2_28
  std::string limiting_symbol;  // the version that sets the tag: "GLIBC_2.28"
};

/// Only meaningful for ELF; other formats give an empty requirement.
PlatformRequirement platform_requirement(const BinaryFacts& facts);

/// Why `claimed` (a wheel platform tag, compound tags allowed: "manylinux_2_17_x86_64.manylinux2014_x86_64")
/// is not satisfied by the requirement, or nullopt when it is (or the tag is not a Linux policy tag).
std::optional<std::string> platform_tag_problem(const PlatformRequirement& requirement, std::string_view claimed);

}  // namespace moat::native
