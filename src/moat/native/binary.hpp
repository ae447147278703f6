#pragma once
// What moat's own ELF, Mach-O and PE parsers extract from one binary image: the facts the
// hardening checks, library identification and platform-tag checks need, nothing more.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "moat/util/error.hpp"

namespace moat::native {

enum class BinaryFormat { elf, macho, pe };
enum class BinaryKind { executable, shared_library, relocatable, other };

std::string_view to_string(BinaryFormat format);
std::string_view to_string(BinaryKind kind);

/// A dynamic symbol: an import (undefined) or an export, with its symbol version if any.
struct Symbol {
  std::string name;
  std::string version;      // "GLIBC_2.14", "OPENSSL_3.0.0"; empty when unversioned
  std::uint64_t value = 0;  // virtual address of a defined symbol
  std::uint64_t size = 0;
  bool defined = false;
  bool function = false;
};

/// One loaded region: maps virtual addresses to file offsets.
struct Segment {
  std::uint64_t address = 0;
  std::uint64_t offset = 0;
  std::uint64_t file_size = 0;
  bool executable = false;
};

/// ELF-only facts behind checksec-style checks.
struct ElfFacts {
  std::uint16_t type = 0;  // ET_*
  bool has_gnu_relro = false;
  bool bind_now = false;       // DT_BIND_NOW, DF_BIND_NOW or DF_1_NOW
  bool has_gnu_stack = false;  // PT_GNU_STACK present
  bool stack_executable = false;
  bool has_interpreter = false;
  bool flags1_pie = false;
  bool text_relocations = false;
  std::optional<std::uint32_t> x86_features;      // GNU_PROPERTY_X86_FEATURE_1_AND
  std::optional<std::uint32_t> aarch64_features;  // GNU_PROPERTY_AARCH64_FEATURE_1_AND
  /// R_*_RELATIVE relocations: address -> addend, so that pointer data symbols can be read.
  std::vector<std::pair<std::uint64_t, std::uint64_t>> relative_relocations;
};

/// PE-only facts.
struct PeFacts {
  std::uint16_t machine = 0;
  std::uint16_t characteristics = 0;
  std::uint16_t dll_characteristics = 0;
  bool has_relocations = false;
  bool has_load_config = false;
  bool has_security_cookie = false;
  bool has_guard_cf = false;
  bool has_certificate = false;
};

/// Mach-O-only facts (of the slice that was analysed).
struct MachoFacts {
  std::uint32_t cpu_type = 0;
  std::uint32_t file_type = 0;
  std::uint32_t flags = 0;
  bool has_code_signature = false;
  bool has_data_const = false;
  std::string install_name;  // LC_ID_DYLIB
  std::string minimum_os;    // LC_BUILD_VERSION / LC_VERSION_MIN_*: "11.0"
  std::vector<std::string> slices;  // architectures of a fat binary
};

struct VersionNeed {
  std::string file;  // "libc.so.6"
  std::vector<std::string> versions;
};

struct BinaryFacts {
  BinaryFormat format = BinaryFormat::elf;
  BinaryKind kind = BinaryKind::other;
  std::string architecture;  // "x86_64", "aarch64", "i386", "arm64", ...
  bool is_64_bit = false;
  bool big_endian = false;
  std::string soname;                // ELF SONAME, Mach-O install name, PE export name
  std::vector<std::string> needed;   // DT_NEEDED, LC_LOAD_DYLIB, PE imports
  std::vector<std::string> rpath;    // DT_RPATH entries, Mach-O LC_RPATH
  std::vector<std::string> runpath;  // DT_RUNPATH entries
  std::vector<Symbol> symbols;       // dynamic imports and exports
  std::vector<std::string> version_definitions;  // ELF verdef nodes: "OPENSSL_3.0.9", "XZ_5.4"
  std::vector<VersionNeed> version_needs;
  std::vector<Segment> segments;
  std::vector<std::string> anomalies;  // non-fatal problems: truncated tables, bad offsets
  ElfFacts elf;
  PeFacts pe;
  MachoFacts macho;

  /// The exported symbol called `name`, if any.
  [[nodiscard]] const Symbol* find_export(std::string_view name) const;
  /// The file offset of a virtual address inside a loaded segment with `length` bytes available.
  [[nodiscard]] std::optional<std::uint64_t> file_offset(std::uint64_t address, std::uint64_t length) const;
};

/// The format of an image from its first bytes, or nullopt when it is not ELF, Mach-O or PE.
std::optional<BinaryFormat> detect_format(std::span<const std::byte> bytes);

/// Parses an image of any supported format. Fails with a reason when the headers are unusable;
/// damage further in (bad tables) is recorded in `anomalies` and parsing goes on.
Result<BinaryFacts> parse_binary(std::span<const std::byte> bytes);

Result<BinaryFacts> parse_elf(std::span<const std::byte> bytes);
Result<BinaryFacts> parse_macho(std::span<const std::byte> bytes);
Result<BinaryFacts> parse_pe(std::span<const std::byte> bytes);

}  // namespace moat::native
