// PE32 and PE32+ images: header flags, sections, imports, exports, the load-configuration fields
// behind /GS and CFG, base relocations and the certificate table. Addresses are RVAs.
#include <array>
#include <string>

#include "moat/native/binary.hpp"
#include "moat/native/reader.hpp"

namespace moat::native {

namespace {

constexpr int kDirectoryExport = 0, kDirectoryImport = 1, kDirectorySecurity = 4, kDirectoryBaseReloc = 5,
              kDirectoryLoadConfig = 10;
constexpr std::uint32_t kScnMemExecute = 0x20000000;
constexpr std::uint16_t kFileDll = 0x2000;
constexpr std::uint32_t kGuardCfInstrumented = 0x100;
constexpr std::uint32_t kMaxImportedDlls = 4096;
constexpr std::uint32_t kMaxNames = 1U << 17;
constexpr std::uint16_t kMaxSections = 96;  // the Windows loader's limit

std::string machine_name(std::uint16_t machine) {
  switch (machine) {
    case 0x14c: return "i386";
    case 0x8664: return "x86_64";
    case 0xaa64: return "arm64";
    case 0x1c4: return "arm";
    default: return "machine-" + std::to_string(machine);
  }
}

class PeParser {
 public:
  explicit PeParser(std::span<const std::byte> bytes) : reader_(bytes, false) {}

  Result<BinaryFacts> parse() {
    const auto header_at = reader_.u32(0x3c);
    if (reader_.u16(0) != 0x5a4d || !header_at) return fail("", "truncated DOS header");
    if (reader_.u32(*header_at) != 0x00004550) return fail("", "no PE signature at offset " + std::to_string(*header_at));
    const std::uint64_t coff = *header_at + 4ULL;
    if (!reader_.contains(coff, 20)) return fail("", "truncated COFF header");
    facts_.format = BinaryFormat::pe;
    facts_.pe.machine = *reader_.u16(coff);
    facts_.architecture = machine_name(facts_.pe.machine);
    const auto section_count = *reader_.u16(coff + 2);
    const auto optional_size = *reader_.u16(coff + 16);
    facts_.pe.characteristics = *reader_.u16(coff + 18);
    facts_.kind = (facts_.pe.characteristics & kFileDll) != 0 ? BinaryKind::shared_library : BinaryKind::executable;
    const std::uint64_t optional = coff + 20;
    const auto magic = reader_.u16(optional);
    if (magic != 0x10b && magic != 0x20b) return fail("", "bad optional header magic");
    wide_ = magic == 0x20b;
    facts_.is_64_bit = wide_;
    if (!reader_.contains(optional, optional_size) || optional_size < (wide_ ? 112U : 96U))
      return fail("", "truncated optional header");
    facts_.pe.dll_characteristics = *reader_.u16(optional + 70);
    const auto directory_count = std::min<std::uint32_t>(*reader_.u32(optional + (wide_ ? 108 : 92)), 16);
    const std::uint64_t directories = optional + (wide_ ? 112 : 96);
    for (std::uint32_t index = 0; index < directory_count; ++index) {
      const std::uint64_t at = directories + 8ULL * index;
      if (at + 8 > optional + optional_size) break;
      directories_[index] = {*reader_.u32(at), *reader_.u32(at + 4)};
    }

    const std::uint64_t sections = optional + optional_size;
    if (section_count > kMaxSections) return fail("", std::to_string(section_count) + " sections (the loader accepts at most 96)");
    if (!reader_.contains(sections, 40ULL * section_count)) return fail("", "section table runs past the end of the file");
    for (std::uint16_t index = 0; index < section_count; ++index) {
      const std::uint64_t at = sections + 40ULL * index;
      const auto virtual_size = *reader_.u32(at + 8);
      const auto address = *reader_.u32(at + 12);
      const auto raw_size = *reader_.u32(at + 16);
      const auto raw_offset = *reader_.u32(at + 20);
      const auto flags = *reader_.u32(at + 36);
      const auto size = std::min(virtual_size != 0 ? virtual_size : raw_size, raw_size);
      if (size == 0) continue;
      if (!reader_.contains(raw_offset, size)) {
        anomaly("section " + std::to_string(index) + " lies outside the file");
        continue;
      }
      facts_.segments.push_back({address, raw_offset, size, (flags & kScnMemExecute) != 0});
    }

    facts_.pe.has_relocations = directories_[kDirectoryBaseReloc].second != 0;
    facts_.pe.has_certificate = directories_[kDirectorySecurity].second != 0;  // a file offset, not an RVA
    read_imports();
    read_exports();
    read_load_config();
    return std::move(facts_);
  }

 private:
  void anomaly(std::string message) {
    if (facts_.anomalies.size() < 32) facts_.anomalies.push_back(std::move(message));
  }

  std::optional<std::string> string_at(std::uint64_t rva) {
    const auto at = facts_.file_offset(rva, 1);
    if (!at) return std::nullopt;
    const auto text = reader_.c_string(*at, 1024);
    return text ? std::optional<std::string>(printable(*text)) : std::nullopt;
  }

  void read_imports() {
    const auto [rva, size] = directories_[kDirectoryImport];
    if (size == 0) return;
    for (std::uint32_t index = 0; index < kMaxImportedDlls; ++index) {
      const auto at = facts_.file_offset(rva + 20ULL * index, 20);
      if (!at) {
        anomaly("import directory does not map into a section");
        return;
      }
      const auto lookup = *reader_.u32(*at);
      const auto name = *reader_.u32(*at + 12);
      const auto thunks = *reader_.u32(*at + 16);
      if (name == 0 && thunks == 0) return;
      if (auto dll = string_at(name)) facts_.needed.push_back(std::move(*dll));
      read_import_names(lookup != 0 ? lookup : thunks);
    }
  }

  void read_import_names(std::uint32_t table_rva) {
    const std::uint64_t entry_size = wide_ ? 8 : 4;
    const std::uint64_t ordinal_flag = wide_ ? 1ULL << 63 : 1ULL << 31;
    for (std::uint32_t index = 0; imported_names_ < kMaxNames; ++index, ++imported_names_) {
      const auto at = facts_.file_offset(table_rva + entry_size * index, entry_size);
      if (!at) return;
      const auto entry = *reader_.word(*at, wide_);
      if (entry == 0) return;
      if ((entry & ordinal_flag) != 0) continue;
      if (auto name = string_at((entry & 0x7fffffff) + 2)) facts_.symbols.push_back({std::move(*name), {}, 0, 0, false, true});
    }
  }

  void read_exports() {
    const auto [rva, size] = directories_[kDirectoryExport];
    if (size == 0) return;
    const auto at = facts_.file_offset(rva, 40);
    if (!at) {
      anomaly("export directory does not map into a section");
      return;
    }
    if (auto name = string_at(*reader_.u32(*at + 12))) facts_.soname = std::move(*name);
    const auto function_count = *reader_.u32(*at + 20);
    const auto name_count = std::min(*reader_.u32(*at + 24), kMaxNames);
    const auto functions = *reader_.u32(*at + 28);
    const auto names = *reader_.u32(*at + 32);
    const auto ordinals = *reader_.u32(*at + 36);
    for (std::uint32_t index = 0; index < name_count; ++index) {
      const auto name_at = facts_.file_offset(names + 4ULL * index, 4);
      const auto ordinal_at = facts_.file_offset(ordinals + 2ULL * index, 2);
      if (!name_at || !ordinal_at) {
        anomaly("export name table does not map into a section");
        return;
      }
      const auto ordinal = *reader_.u16(*ordinal_at);
      if (ordinal >= function_count) continue;
      const auto function_at = facts_.file_offset(functions + 4ULL * ordinal, 4);
      auto name = string_at(*reader_.u32(*name_at));
      if (!function_at || !name) continue;
      facts_.symbols.push_back({std::move(*name), {}, *reader_.u32(*function_at), 0, true, true});
    }
  }

  void read_load_config() {
    const auto [rva, size] = directories_[kDirectoryLoadConfig];
    if (size == 0) return;
    const auto at = facts_.file_offset(rva, 4);
    if (!at) {
      anomaly("load configuration does not map into a section");
      return;
    }
    facts_.pe.has_load_config = true;
    const auto declared = *reader_.u32(*at);
    const auto field = [&](std::uint32_t offset, bool wide_field) -> std::optional<std::uint64_t> {
      if (offset + (wide_field ? 8U : 4U) > declared) return std::nullopt;
      const auto inside = facts_.file_offset(rva + offset, wide_field ? 8 : 4);
      return inside ? reader_.word(*inside, wide_field) : std::nullopt;
    };
    facts_.pe.has_security_cookie = field(wide_ ? 88 : 60, wide_).value_or(0) != 0;
    facts_.pe.has_guard_cf = (field(wide_ ? 144 : 88, false).value_or(0) & kGuardCfInstrumented) != 0;
  }

  ByteReader reader_;
  BinaryFacts facts_;
  bool wide_ = false;
  std::array<std::pair<std::uint32_t, std::uint32_t>, 16> directories_{};  // (RVA, size) per data directory
  std::uint32_t imported_names_ = 0;  // budget shared by all import tables
};

}  // namespace

Result<BinaryFacts> parse_pe(std::span<const std::byte> bytes) { return PeParser(bytes).parse(); }

}  // namespace moat::native
