// ELF32/ELF64, both byte orders: program headers, the dynamic section, dynamic symbols, symbol
// versions, GNU property notes and relative relocations. Every table is read through ByteReader and
// every count is bounded by the bytes that back it, so hostile files cannot cause huge loops.
#include <algorithm>
#include <string>

#include "moat/native/binary.hpp"
#include "moat/native/reader.hpp"

namespace moat::native {

namespace {

constexpr std::uint32_t kPtLoad = 1, kPtDynamic = 2, kPtInterp = 3, kPtNote = 4;
constexpr std::uint32_t kPtGnuStack = 0x6474e551, kPtGnuRelro = 0x6474e552, kPtGnuProperty = 0x6474e553;
constexpr std::uint32_t kPfExecute = 1;

constexpr std::int64_t kDtNull = 0, kDtNeeded = 1, kDtHash = 4, kDtStrtab = 5, kDtSymtab = 6, kDtRela = 7,
                       kDtRelasz = 8, kDtRelaent = 9, kDtStrsz = 10, kDtSoname = 14, kDtRpath = 15, kDtRel = 17,
                       kDtRelsz = 18, kDtRelent = 19, kDtTextrel = 22, kDtBindNow = 24, kDtRunpath = 29,
                       kDtFlags = 30, kDtGnuHash = 0x6ffffef5, kDtVersym = 0x6ffffff0, kDtFlags1 = 0x6ffffffb,
                       kDtVerdef = 0x6ffffffc, kDtVerdefnum = 0x6ffffffd, kDtVerneed = 0x6ffffffe,
                       kDtVerneednum = 0x6fffffff;
constexpr std::uint64_t kDfTextrel = 0x4, kDfBindNow = 0x8, kDf1Now = 0x1, kDf1Pie = 0x08000000;
constexpr std::uint32_t kShtDynsym = 11;
constexpr std::uint32_t kNtGnuPropertyType0 = 5;
constexpr std::uint32_t kGnuPropertyX86Feature1And = 0xc0000002, kGnuPropertyAarch64Feature1And = 0xc0000000;
// Version chains are linked lists inside the file; a budget beyond any real library's count.
constexpr int kMaxVersionEntries = 65536;

std::string machine_name(std::uint16_t machine) {
  switch (machine) {
    case 3: return "i386";
    case 8: return "mips";
    case 20: return "ppc";
    case 21: return "ppc64";
    case 22: return "s390x";
    case 40: return "arm";
    case 62: return "x86_64";
    case 183: return "aarch64";
    case 243: return "riscv";
    case 258: return "loongarch";
    default: return "machine-" + std::to_string(machine);
  }
}

// Relocation types meaning "base + addend" per machine (0 = unknown).
std::uint32_t relative_relocation_type(std::uint16_t machine) {
  switch (machine) {
    case 62: return 8;     // R_X86_64_RELATIVE
    case 183: return 1027;  // R_AARCH64_RELATIVE
    case 21: return 22;    // R_PPC64_RELATIVE
    case 22: return 12;    // R_390_RELATIVE
    case 243: return 3;    // R_RISCV_RELATIVE
    case 3: return 8;      // R_386_RELATIVE
    case 40: return 23;    // R_ARM_RELATIVE
    default: return 0;
  }
}

struct DynamicTable {
  std::vector<std::uint64_t> needed, rpath, runpath;
  std::optional<std::uint64_t> soname;
  std::optional<std::uint64_t> strtab, strsz, symtab, hash, gnu_hash, versym, verdef, verneed;
  std::uint64_t verdefnum = 0, verneednum = 0;
  std::optional<std::uint64_t> rela, relasz, rel, relsz;
  std::uint64_t relaent = 0, relent = 0;
};

class ElfParser {
 public:
  explicit ElfParser(std::span<const std::byte> bytes)
      : reader_(bytes, bytes.size() > 5 && static_cast<std::uint8_t>(bytes[5]) == 2) {}

  Result<BinaryFacts> parse() {
    if (reader_.size() < 16) return fail("", "truncated ELF identification (" + std::to_string(reader_.size()) + " bytes)");
    const auto elf_class = *reader_.u8(4);
    const auto data = *reader_.u8(5);
    if (elf_class != 1 && elf_class != 2) return fail("", "bad ELF class " + std::to_string(elf_class));
    if (data != 1 && data != 2) return fail("", "bad ELF byte order " + std::to_string(data));
    wide_ = elf_class == 2;
    facts_.format = BinaryFormat::elf;
    facts_.is_64_bit = wide_;
    facts_.big_endian = data == 2;
    const std::uint64_t header_size = wide_ ? 64 : 52;
    if (!reader_.contains(0, header_size))
      return fail("", "truncated ELF header (" + std::to_string(reader_.size()) + " bytes)");

    facts_.elf.type = *reader_.u16(16);
    machine_ = *reader_.u16(18);
    facts_.architecture = machine_name(machine_);
    const auto phoff = *reader_.word(wide_ ? 32 : 28, wide_);
    const auto shoff = *reader_.word(wide_ ? 40 : 32, wide_);
    const auto phentsize = *reader_.u16(wide_ ? 54 : 42);
    const auto phnum = *reader_.u16(wide_ ? 56 : 44);
    const auto shentsize = *reader_.u16(wide_ ? 58 : 46);
    const auto shnum = *reader_.u16(wide_ ? 60 : 48);

    switch (facts_.elf.type) {
      case 1: facts_.kind = BinaryKind::relocatable; break;
      case 2: facts_.kind = BinaryKind::executable; break;
      case 3: facts_.kind = BinaryKind::shared_library; break;  // refined after the dynamic section
      default: facts_.kind = BinaryKind::other; break;
    }

    if (phnum != 0) {
      const std::uint64_t minimum_entry = wide_ ? 56 : 32;
      if (phentsize < minimum_entry) return fail("", "program header entry size " + std::to_string(phentsize) + " too small");
      if (!reader_.contains(phoff, std::uint64_t{phentsize} * phnum))
        return fail("", "program header table (" + std::to_string(phnum) + " entries at offset " + std::to_string(phoff) +
                            ") runs past the end of the file");
      read_program_headers(phoff, phentsize, phnum);
    }
    read_dynamic();
    read_section_headers(shoff, shentsize, shnum);
    read_symbols();
    read_version_needs();
    read_version_definitions();
    read_relative_relocations();
    if (facts_.elf.type == 3 && (facts_.elf.has_interpreter || facts_.elf.flags1_pie))
      facts_.kind = BinaryKind::executable;
    return std::move(facts_);
  }

 private:
  void anomaly(std::string message) {
    if (facts_.anomalies.size() < 32) facts_.anomalies.push_back(std::move(message));
  }

  void read_program_headers(std::uint64_t phoff, std::uint16_t phentsize, std::uint16_t phnum) {
    for (std::uint16_t index = 0; index < phnum; ++index) {
      const std::uint64_t at = phoff + std::uint64_t{index} * phentsize;
      const auto type = *reader_.u32(at);
      const auto flags = *reader_.u32(at + (wide_ ? 4 : 24));
      const auto offset = *reader_.word(at + (wide_ ? 8 : 4), wide_);
      const auto address = *reader_.word(at + (wide_ ? 16 : 8), wide_);
      const auto file_size = *reader_.word(at + (wide_ ? 32 : 16), wide_);
      const auto alignment = *reader_.word(at + (wide_ ? 48 : 28), wide_);
      switch (type) {
        case kPtLoad:
          if (!reader_.contains(offset, file_size)) {
            anomaly("PT_LOAD segment " + std::to_string(index) + " lies outside the file");
            break;
          }
          facts_.segments.push_back({address, offset, file_size, (flags & kPfExecute) != 0});
          break;
        case kPtDynamic: dynamic_ = {offset, file_size}; break;
        case kPtInterp: facts_.elf.has_interpreter = true; break;
        case kPtGnuStack:
          facts_.elf.has_gnu_stack = true;
          facts_.elf.stack_executable = (flags & kPfExecute) != 0;
          break;
        case kPtGnuRelro: facts_.elf.has_gnu_relro = true; break;
        case kPtNote:
        case kPtGnuProperty: read_notes(offset, file_size, alignment); break;
        default: break;
      }
    }
  }

  void read_notes(std::uint64_t offset, std::uint64_t size, std::uint64_t alignment) {
    if (!reader_.contains(offset, size)) {
      anomaly("note segment lies outside the file");
      return;
    }
    const std::uint64_t align = alignment == 8 ? 8 : 4;
    const auto round = [align](std::uint64_t value) { return (value + align - 1) / align * align; };
    std::uint64_t at = offset;
    const std::uint64_t end = offset + size;
    while (at + 12 <= end) {
      const auto name_size = *reader_.u32(at);
      const auto desc_size = *reader_.u32(at + 4);
      const auto type = *reader_.u32(at + 8);
      const std::uint64_t name_at = at + 12;
      // The descriptor starts at the next `align` boundary after the header and name (gABI).
      const std::uint64_t desc_at = at + round(12 + std::uint64_t{name_size});
      if (desc_at > end || desc_size > end - desc_at) {
        anomaly("note entry runs past its segment");
        return;
      }
      if (type == kNtGnuPropertyType0 && name_size == 4 && reader_.c_string(name_at, 3) == "GNU")
        read_gnu_properties(desc_at, desc_size);
      at = desc_at + round(desc_size);
    }
  }

  void read_gnu_properties(std::uint64_t at, std::uint64_t size) {
    const std::uint64_t align = wide_ ? 8 : 4;
    const std::uint64_t end = at + size;
    while (at + 8 <= end) {
      const auto type = *reader_.u32(at);
      const auto data_size = *reader_.u32(at + 4);
      if (data_size > end - at - 8) {
        anomaly("GNU property runs past its note");
        return;
      }
      if (data_size >= 4 && type == kGnuPropertyX86Feature1And) facts_.elf.x86_features = *reader_.u32(at + 8);
      if (data_size >= 4 && type == kGnuPropertyAarch64Feature1And) facts_.elf.aarch64_features = *reader_.u32(at + 8);
      at += 8 + (data_size + align - 1) / align * align;
    }
  }

  std::optional<std::uint64_t> offset_of(std::uint64_t address, std::uint64_t length) const {
    return facts_.file_offset(address, length);
  }

  void read_dynamic() {
    if (!dynamic_) return;
    const auto [offset, size] = *dynamic_;
    if (!reader_.contains(offset, size)) {
      anomaly("PT_DYNAMIC lies outside the file");
      return;
    }
    const std::uint64_t entry_size = wide_ ? 16 : 8;
    for (std::uint64_t at = offset; at + entry_size <= offset + size; at += entry_size) {
      const auto raw_tag = *reader_.word(at, wide_);
      const auto tag = wide_ ? static_cast<std::int64_t>(raw_tag) : static_cast<std::int64_t>(static_cast<std::int32_t>(raw_tag));
      const auto value = *reader_.word(at + entry_size / 2, wide_);
      if (tag == kDtNull) break;
      switch (tag) {
        case kDtNeeded: table_.needed.push_back(value); break;
        case kDtSoname: table_.soname = value; break;
        case kDtRpath: table_.rpath.push_back(value); break;
        case kDtRunpath: table_.runpath.push_back(value); break;
        case kDtStrtab: table_.strtab = value; break;
        case kDtStrsz: table_.strsz = value; break;
        case kDtSymtab: table_.symtab = value; break;
        case kDtHash: table_.hash = value; break;
        case kDtGnuHash: table_.gnu_hash = value; break;
        case kDtVersym: table_.versym = value; break;
        case kDtVerdef: table_.verdef = value; break;
        case kDtVerdefnum: table_.verdefnum = value; break;
        case kDtVerneed: table_.verneed = value; break;
        case kDtVerneednum: table_.verneednum = value; break;
        case kDtRela: table_.rela = value; break;
        case kDtRelasz: table_.relasz = value; break;
        case kDtRelaent: table_.relaent = value; break;
        case kDtRel: table_.rel = value; break;
        case kDtRelsz: table_.relsz = value; break;
        case kDtRelent: table_.relent = value; break;
        case kDtTextrel: facts_.elf.text_relocations = true; break;
        case kDtBindNow: facts_.elf.bind_now = true; break;
        case kDtFlags:
          if ((value & kDfBindNow) != 0) facts_.elf.bind_now = true;
          if ((value & kDfTextrel) != 0) facts_.elf.text_relocations = true;
          break;
        case kDtFlags1:
          if ((value & kDf1Now) != 0) facts_.elf.bind_now = true;
          if ((value & kDf1Pie) != 0) facts_.elf.flags1_pie = true;
          break;
        default: break;
      }
    }
    if (table_.strtab) {
      const auto strtab_size = table_.strsz.value_or(0);
      strtab_offset_ = offset_of(*table_.strtab, strtab_size);
      if (!strtab_offset_) anomaly("DT_STRTAB does not map into a loaded segment");
      else strtab_size_ = strtab_size;
    }
    for (const auto name : table_.needed) facts_.needed.push_back(dynamic_string(name));
    if (table_.soname) facts_.soname = dynamic_string(*table_.soname);
    for (const auto entry : table_.rpath) split_paths(dynamic_string(entry), facts_.rpath);
    for (const auto entry : table_.runpath) split_paths(dynamic_string(entry), facts_.runpath);
  }

  static void split_paths(std::string_view text, std::vector<std::string>& into) {
    // An empty element means the current directory to the loader, so it is kept as "".
    std::size_t start = 0;
    while (true) {
      const auto colon = text.find(':', start);
      into.emplace_back(text.substr(start, colon == std::string_view::npos ? std::string_view::npos : colon - start));
      if (colon == std::string_view::npos) break;
      start = colon + 1;
    }
  }

  std::string dynamic_string(std::uint64_t index) {
    if (!strtab_offset_ || index >= strtab_size_) {
      anomaly("dynamic string index " + std::to_string(index) + " outside DT_STRTAB");
      return {};
    }
    const auto text = reader_.c_string(*strtab_offset_ + index, strtab_size_ - index);
    if (!text) {
      anomaly("unterminated dynamic string at index " + std::to_string(index));
      return {};
    }
    return printable(*text);
  }

  void read_section_headers(std::uint64_t shoff, std::uint16_t shentsize, std::uint16_t shnum) {
    if (shnum == 0 || shoff == 0) return;
    const std::uint64_t minimum_entry = wide_ ? 64 : 40;
    if (shentsize < minimum_entry || !reader_.contains(shoff, std::uint64_t{shentsize} * shnum)) {
      anomaly("section header table is truncated or malformed");
      return;
    }
    for (std::uint16_t index = 0; index < shnum; ++index) {
      const std::uint64_t at = shoff + std::uint64_t{index} * shentsize;
      if (*reader_.u32(at + 4) != kShtDynsym) continue;
      const auto size = *reader_.word(at + (wide_ ? 32 : 20), wide_);
      const auto entry_size = *reader_.word(at + (wide_ ? 56 : 36), wide_);
      if (entry_size != 0) dynsym_count_from_sections_ = size / entry_size;
    }
  }

  // The number of dynamic symbols: from the section table, else DT_HASH, else DT_GNU_HASH.
  std::optional<std::uint64_t> dynamic_symbol_count() {
    if (dynsym_count_from_sections_) return dynsym_count_from_sections_;
    if (table_.hash) {
      if (const auto at = offset_of(*table_.hash, 8)) return reader_.u32(*at + 4);
    }
    if (table_.gnu_hash) return gnu_hash_symbol_count();
    return std::nullopt;
  }

  std::optional<std::uint64_t> gnu_hash_symbol_count() {
    const auto header = offset_of(*table_.gnu_hash, 16);
    if (!header) return std::nullopt;
    const auto buckets = *reader_.u32(*header);
    const auto symbol_offset = *reader_.u32(*header + 4);
    const auto bloom_size = *reader_.u32(*header + 8);
    const std::uint64_t bucket_at = *header + 16 + std::uint64_t{bloom_size} * (wide_ ? 8 : 4);
    if (!reader_.contains(bucket_at, std::uint64_t{buckets} * 4)) return std::nullopt;
    std::uint64_t highest = 0;
    for (std::uint32_t bucket = 0; bucket < buckets; ++bucket) highest = std::max<std::uint64_t>(highest, *reader_.u32(bucket_at + 4ULL * bucket));
    if (highest < symbol_offset) return symbol_offset;
    const std::uint64_t chain_at = bucket_at + 4ULL * buckets;
    // Walk the chain of the last bucket until its end marker (low bit set).
    for (std::uint64_t index = highest; index - highest < reader_.size(); ++index) {
      const auto entry = reader_.u32(chain_at + 4 * (index - symbol_offset));
      if (!entry) return std::nullopt;
      if ((*entry & 1) != 0) return index + 1;
    }
    return std::nullopt;
  }

  void read_symbols() {
    if (!table_.symtab || !strtab_offset_) return;
    const auto count = dynamic_symbol_count();
    if (!count) {
      anomaly("cannot determine the number of dynamic symbols");
      return;
    }
    const std::uint64_t entry_size = wide_ ? 24 : 16;
    const auto table_at = offset_of(*table_.symtab, 0);
    if (!table_at) {
      anomaly("DT_SYMTAB does not map into a loaded segment");
      return;
    }
    const std::uint64_t usable = std::min<std::uint64_t>(*count, (reader_.size() - *table_at) / entry_size);
    if (usable < *count) anomaly("dynamic symbol table is truncated");
    std::optional<std::uint64_t> versym_at;
    if (table_.versym) versym_at = offset_of(*table_.versym, usable * 2);
    symbol_versions_.assign(usable, 0);
    facts_.symbols.reserve(usable);
    for (std::uint64_t index = 1; index < usable; ++index) {
      const std::uint64_t at = *table_at + index * entry_size;
      const auto name_index = *reader_.u32(at);
      const auto info = *reader_.u8(at + (wide_ ? 4 : 12));
      const auto section = *reader_.u16(at + (wide_ ? 6 : 14));
      Symbol symbol;
      symbol.value = *reader_.word(at + (wide_ ? 8 : 4), wide_);
      symbol.size = *reader_.word(at + (wide_ ? 16 : 8), wide_);
      symbol.defined = section != 0;
      const auto type = info & 0xf;
      symbol.function = type == 2 || type == 10;
      if (name_index < strtab_size_) {
        if (const auto name = reader_.c_string(*strtab_offset_ + name_index, strtab_size_ - name_index)) symbol.name = printable(*name);
      }
      if (symbol.name.empty()) continue;
      if (versym_at) symbol_versions_[facts_.symbols.size()] = reader_.u16(*versym_at + 2 * index).value_or(0) & 0x7fff;
      facts_.symbols.push_back(std::move(symbol));
    }
    symbol_versions_.resize(facts_.symbols.size());
  }

  void read_version_needs() {
    if (!table_.verneed) return;
    auto at = offset_of(*table_.verneed, 16);
    const auto limit = std::min<std::uint64_t>(table_.verneednum, kMaxVersionEntries);
    for (std::uint64_t entry = 0; entry < limit && at; ++entry) {
      const auto count = *reader_.u16(*at + 2);
      const auto file = *reader_.u32(*at + 4);
      const auto aux = *reader_.u32(*at + 8);
      const auto next = *reader_.u32(*at + 12);
      VersionNeed need{dynamic_string(file), {}};
      std::uint64_t aux_at = *at + aux;
      for (std::uint16_t index = 0; index < count; ++index) {
        if (!reader_.contains(aux_at, 16)) {
          anomaly("version-needed entry runs past the end of the file");
          break;
        }
        if (++version_entries_ > kMaxVersionEntries) return;
        const auto version_index = *reader_.u16(aux_at + 6) & 0x7fff;
        auto name = dynamic_string(*reader_.u32(aux_at + 8));
        name_version(version_index, name);
        need.versions.push_back(std::move(name));
        const auto aux_next = *reader_.u32(aux_at + 12);
        if (aux_next == 0) break;
        aux_at += aux_next;
      }
      facts_.version_needs.push_back(std::move(need));
      if (next == 0) break;
      at = reader_.contains(*at + next, 16) ? std::optional(*at + next) : std::nullopt;
    }
    apply_symbol_versions();
  }

  void read_version_definitions() {
    if (!table_.verdef) return;
    auto at = offset_of(*table_.verdef, 20);
    const auto limit = std::min<std::uint64_t>(table_.verdefnum, kMaxVersionEntries);
    for (std::uint64_t entry = 0; entry < limit && at; ++entry) {
      if (++version_entries_ > kMaxVersionEntries) return;
      const auto flags = *reader_.u16(*at + 2);
      const auto version_index = *reader_.u16(*at + 4);
      const auto aux = *reader_.u32(*at + 12);
      const auto next = *reader_.u32(*at + 16);
      if (reader_.contains(*at + aux, 8)) {
        auto name = dynamic_string(*reader_.u32(*at + aux));
        name_version(version_index & 0x7fff, name);
        if ((flags & 1) == 0) facts_.version_definitions.push_back(std::move(name));  // 1 = VER_FLG_BASE
      }
      if (next == 0) break;
      at = reader_.contains(*at + next, 20) ? std::optional(*at + next) : std::nullopt;
    }
    apply_symbol_versions();
  }

  void name_version(std::uint16_t version_index, const std::string& name) {
    if (version_index >= version_names_.size()) version_names_.resize(version_index + 1U);
    version_names_[version_index] = name;
  }

  void apply_symbol_versions() {
    for (std::size_t index = 0; index < facts_.symbols.size(); ++index) {
      const auto wanted = symbol_versions_[index];
      if (wanted < 2 || wanted >= version_names_.size() || !facts_.symbols[index].version.empty()) continue;
      facts_.symbols[index].version = version_names_[wanted];
    }
  }

  void read_relative_relocations() {
    const auto relative_type = relative_relocation_type(machine_);
    if (relative_type == 0) return;
    const auto read_table = [&](std::optional<std::uint64_t> address, std::optional<std::uint64_t> size,
                                std::uint64_t entry_size, bool with_addend) {
      if (!address || !size) return;
      if (entry_size < (wide_ ? 16U : 8U) || entry_size > 64) {
        anomaly("relocation entry size " + std::to_string(entry_size) + " is invalid");
        return;
      }
      const auto at = offset_of(*address, *size);
      if (!at) {
        anomaly("relocation table does not map into a loaded segment");
        return;
      }
      for (std::uint64_t entry = *at; entry + entry_size <= *at + *size; entry += entry_size) {
        const auto offset = *reader_.word(entry, wide_);
        const auto info = *reader_.word(entry + (wide_ ? 8 : 4), wide_);
        const auto type = wide_ ? (info & 0xffffffff) : (info & 0xff);
        if (type != relative_type) continue;
        std::uint64_t addend = 0;
        if (with_addend) {
          addend = *reader_.word(entry + (wide_ ? 16 : 8), wide_);
        } else if (const auto in_place = offset_of(offset, wide_ ? 8 : 4)) {
          addend = *reader_.word(*in_place, wide_);
        }
        facts_.elf.relative_relocations.emplace_back(offset, addend);
      }
    };
    read_table(table_.rela, table_.relasz, table_.relaent != 0 ? table_.relaent : (wide_ ? 24 : 12), true);
    read_table(table_.rel, table_.relsz, table_.relent != 0 ? table_.relent : (wide_ ? 16 : 8), false);
    std::ranges::sort(facts_.elf.relative_relocations);
  }

  ByteReader reader_;
  BinaryFacts facts_;
  bool wide_ = false;
  std::uint16_t machine_ = 0;
  std::optional<std::pair<std::uint64_t, std::uint64_t>> dynamic_;
  DynamicTable table_;
  std::optional<std::uint64_t> strtab_offset_;
  std::uint64_t strtab_size_ = 0;
  std::optional<std::uint64_t> dynsym_count_from_sections_;
  std::vector<std::uint16_t> symbol_versions_;  // parallel to facts_.symbols
  std::vector<std::string> version_names_;  // by version index (versym value)
  int version_entries_ = 0;
};

}  // namespace

Result<BinaryFacts> parse_elf(std::span<const std::byte> bytes) { return ElfParser(bytes).parse(); }

}  // namespace moat::native
