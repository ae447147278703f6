// Mach-O (32/64-bit, either byte order) and fat binaries: the load commands and symbols the
// hardening checks and library identification need. A fat binary is analysed through its x86_64
// slice when it has one (version functions are decoded for x86-64 only), else its first slice.
#include <string>

#include "moat/native/binary.hpp"
#include "moat/native/reader.hpp"

namespace moat::native {

namespace {

constexpr std::uint32_t kLcSegment = 0x1, kLcSymtab = 0x2, kLcLoadDylib = 0xc, kLcIdDylib = 0xd, kLcSegment64 = 0x19,
                        kLcCodeSignature = 0x1d, kLcVersionMinMacosx = 0x24, kLcBuildVersion = 0x32,
                        kLcLoadWeakDylib = 0x80000018, kLcRpath = 0x8000001c, kLcReexportDylib = 0x8000001f;
constexpr std::uint32_t kVmProtExecute = 0x4;
constexpr std::uint32_t kCpuX86_64 = 0x01000007;
constexpr std::uint32_t kMaxSlices = 32;
constexpr std::uint32_t kMaxSymbols = 1U << 22;

std::string cpu_name(std::uint32_t cpu) {
  switch (cpu) {
    case 7: return "i386";
    case kCpuX86_64: return "x86_64";
    case 12: return "arm";
    case 0x0100000c: return "arm64";
    case 18: return "ppc";
    case 0x01000012: return "ppc64";
    default: return "cpu-" + std::to_string(cpu);
  }
}

std::string dotted_version(std::uint32_t encoded) {
  std::string text = std::to_string(encoded >> 16) + "." + std::to_string((encoded >> 8) & 0xff);
  if ((encoded & 0xff) != 0) text += "." + std::to_string(encoded & 0xff);
  return text;
}

class MachoParser {
 public:
  MachoParser(std::span<const std::byte> file, std::uint64_t slice_offset, std::uint64_t slice_size)
      : slice_offset_(slice_offset), slice_(file.subspan(slice_offset, slice_size), false) {}

  Result<BinaryFacts> parse() {
    const ByteReader little(slice_.bytes(), false);
    const auto magic = little.u32(0);
    if (!magic) return fail("", "truncated Mach-O header");
    bool wide = false;
    bool big_endian = false;
    switch (*magic) {
      case 0xfeedface: break;
      case 0xfeedfacf: wide = true; break;
      case 0xcefaedfe: big_endian = true; break;
      case 0xcffaedfe: wide = big_endian = true; break;
      default: return fail("", "bad Mach-O magic");
    }
    reader_ = ByteReader(slice_.bytes(), big_endian);
    const std::uint64_t header_size = wide ? 32 : 28;
    if (!reader_.contains(0, header_size)) return fail("", "truncated Mach-O header");
    facts_.format = BinaryFormat::macho;
    facts_.is_64_bit = wide;
    facts_.big_endian = big_endian;
    facts_.macho.cpu_type = *reader_.u32(4);
    facts_.architecture = cpu_name(facts_.macho.cpu_type);
    facts_.macho.file_type = *reader_.u32(12);
    const auto command_count = *reader_.u32(16);
    const auto commands_size = *reader_.u32(20);
    facts_.macho.flags = *reader_.u32(24);
    switch (facts_.macho.file_type) {
      case 1: facts_.kind = BinaryKind::relocatable; break;
      case 2: facts_.kind = BinaryKind::executable; break;
      case 6:
      case 8: facts_.kind = BinaryKind::shared_library; break;  // MH_DYLIB, MH_BUNDLE (extension modules)
      default: facts_.kind = BinaryKind::other; break;
    }
    if (!reader_.contains(header_size, commands_size))
      return fail("", "load commands (" + std::to_string(commands_size) + " bytes) run past the end of the file");

    std::uint64_t at = header_size;
    const std::uint64_t end = header_size + commands_size;
    for (std::uint32_t index = 0; index < command_count; ++index) {
      if (at + 8 > end) {
        anomaly("load command " + std::to_string(index) + " runs past sizeofcmds");
        break;
      }
      const auto command = *reader_.u32(at);
      const auto size = *reader_.u32(at + 4);
      if (size < 8 || size > end - at) {
        anomaly("load command " + std::to_string(index) + " has bad size " + std::to_string(size));
        break;
      }
      read_command(command, at, size, wide);
      at += size;
    }
    return std::move(facts_);
  }

 private:
  void anomaly(std::string message) {
    if (facts_.anomalies.size() < 32) facts_.anomalies.push_back(std::move(message));
  }

  std::string command_string(std::uint64_t command_at, std::uint32_t command_size, std::uint64_t field) {
    const auto offset = reader_.u32(command_at + field);
    if (!offset || *offset >= command_size) {
      anomaly("load command string offset outside its command");
      return {};
    }
    const auto text = reader_.c_string(command_at + *offset, command_size - *offset);
    return text ? printable(*text) : std::string();
  }

  void read_command(std::uint32_t command, std::uint64_t at, std::uint32_t size, bool wide) {
    switch (command) {
      case kLcLoadDylib:
      case kLcLoadWeakDylib:
      case kLcReexportDylib: facts_.needed.push_back(command_string(at, size, 8)); break;
      case kLcIdDylib:
        facts_.macho.install_name = command_string(at, size, 8);
        facts_.soname = facts_.macho.install_name;
        break;
      case kLcRpath: facts_.rpath.push_back(command_string(at, size, 8)); break;
      case kLcCodeSignature: facts_.macho.has_code_signature = true; break;
      case kLcBuildVersion:
        if (size >= 16) facts_.macho.minimum_os = dotted_version(*reader_.u32(at + 12));
        break;
      case kLcVersionMinMacosx:
        if (size >= 12) facts_.macho.minimum_os = dotted_version(*reader_.u32(at + 8));
        break;
      case kLcSegment:
      case kLcSegment64: read_segment(at, size, command == kLcSegment64); break;
      case kLcSymtab:
        if (size >= 24) read_symbols(*reader_.u32(at + 8), *reader_.u32(at + 12), *reader_.u32(at + 16), *reader_.u32(at + 20), wide);
        break;
      default: break;
    }
  }

  void read_segment(std::uint64_t at, std::uint32_t size, bool wide) {
    if (size < (wide ? 72U : 56U)) {
      anomaly("segment command too small");
      return;
    }
    const auto name = reader_.slice(at + 8, 16);
    const std::string segment_name = printable(as_chars(*name).substr(0, as_chars(*name).find('\0')));
    if (segment_name == "__DATA_CONST") facts_.macho.has_data_const = true;
    const auto address = *reader_.word(at + 24, wide);
    const auto offset = *reader_.word(at + (wide ? 40 : 32), wide);
    const auto file_size = *reader_.word(at + (wide ? 48 : 36), wide);
    const auto protection = *reader_.u32(at + (wide ? 60 : 44));
    if (file_size == 0) return;
    if (!reader_.contains(offset, file_size)) {
      anomaly("segment " + segment_name + " lies outside the file");
      return;
    }
    facts_.segments.push_back({address, slice_offset_ + offset, file_size, (protection & kVmProtExecute) != 0});
  }

  void read_symbols(std::uint32_t symbol_offset, std::uint32_t count, std::uint32_t string_offset,
                    std::uint32_t string_size, bool wide) {
    const std::uint64_t entry_size = wide ? 16 : 12;
    if (!reader_.contains(string_offset, string_size) || count > kMaxSymbols ||
        !reader_.contains(symbol_offset, entry_size * count)) {
      anomaly("symbol table lies outside the file");
      return;
    }
    facts_.symbols.reserve(count);
    for (std::uint32_t index = 0; index < count; ++index) {
      const std::uint64_t at = symbol_offset + entry_size * index;
      const auto name_index = *reader_.u32(at);
      const auto type = *reader_.u8(at + 4);
      if ((type & 0x01) == 0 || (type & 0xe0) != 0) continue;  // external, not a debugging entry
      const auto kind = type & 0x0e;
      if (kind != 0x0 && kind != 0xe) continue;  // N_UNDF or N_SECT
      if (name_index >= string_size) continue;
      const auto name = reader_.c_string(std::uint64_t{string_offset} + name_index, string_size - name_index);
      if (!name || name->empty()) continue;
      Symbol symbol;
      // C symbols carry a leading underscore on Darwin; store the C name.
      symbol.name = printable(name->front() == '_' ? name->substr(1) : *name);
      symbol.defined = kind == 0xe;
      symbol.function = symbol.defined;
      symbol.value = *reader_.word(at + 8, wide);
      facts_.symbols.push_back(std::move(symbol));
    }
  }

  std::uint64_t slice_offset_;
  ByteReader slice_;
  ByteReader reader_{{}, false};
  BinaryFacts facts_;
};

}  // namespace

Result<BinaryFacts> parse_macho(std::span<const std::byte> bytes) {
  const ByteReader big(bytes, true);
  const auto magic = big.u32(0);
  if (magic != 0xcafebabe && magic != 0xcafebabf) return MachoParser(bytes, 0, bytes.size()).parse();

  const bool wide = magic == 0xcafebabf;
  const auto count = big.u32(4).value_or(0);
  if (count == 0 || count > kMaxSlices) return fail("", "fat binary with " + std::to_string(count) + " slices");
  const std::uint64_t entry_size = wide ? 32 : 20;
  if (!big.contains(8, entry_size * count)) return fail("", "fat header runs past the end of the file");
  std::vector<std::string> slices;
  std::optional<std::pair<std::uint64_t, std::uint64_t>> chosen;
  for (std::uint32_t index = 0; index < count; ++index) {
    const std::uint64_t at = 8 + entry_size * index;
    const auto cpu = *big.u32(at);
    const auto offset = *big.word(at + 8, wide);
    const auto size = *big.word(at + (wide ? 16 : 12), wide);
    if (!big.contains(offset, size)) return fail("", "fat slice " + std::to_string(index) + " lies outside the file");
    slices.push_back(cpu_name(cpu));
    if (!chosen || cpu == kCpuX86_64) chosen = {offset, size};
  }
  auto facts = MachoParser(bytes, chosen->first, chosen->second).parse();
  if (facts) facts->macho.slices = std::move(slices);
  return facts;
}

}  // namespace moat::native
