#include "moat/native/binary.hpp"

#include "moat/native/reader.hpp"

namespace moat::native {

std::string_view to_string(BinaryFormat format) {
  switch (format) {
    case BinaryFormat::elf: return "ELF";
    case BinaryFormat::macho: return "Mach-O";
    case BinaryFormat::pe: return "PE";
  }
  return "?";
}

std::string_view to_string(BinaryKind kind) {
  switch (kind) {
    case BinaryKind::executable: return "executable";
    case BinaryKind::shared_library: return "shared library";
    case BinaryKind::relocatable: return "object file";
    case BinaryKind::other: return "other";
  }
  return "?";
}

const Symbol* BinaryFacts::find_export(std::string_view name) const {
  for (const auto& symbol : symbols)
    if (symbol.defined && symbol.name == name) return &symbol;
  return nullptr;
}

std::optional<std::uint64_t> BinaryFacts::file_offset(std::uint64_t address, std::uint64_t length) const {
  for (const auto& segment : segments) {
    if (address < segment.address || address - segment.address >= segment.file_size) continue;
    const auto inside = address - segment.address;
    if (length > segment.file_size - inside) return std::nullopt;
    return segment.offset + inside;
  }
  return std::nullopt;
}

std::optional<BinaryFormat> detect_format(std::span<const std::byte> bytes) {
  const ByteReader big(bytes, true);
  const auto magic = big.u32(0);
  if (!magic) {
    if (big.u16(0) == 0x4d5a) return BinaryFormat::pe;  // "MZ"
    return std::nullopt;
  }
  switch (*magic) {
    case 0x7f454c46: return BinaryFormat::elf;
    case 0xfeedface:
    case 0xfeedfacf:
    case 0xcefaedfe:
    case 0xcffaedfe: return BinaryFormat::macho;
    case 0xcafebabe:
    case 0xcafebabf:
      // Java class files share this magic; their next word (the class-file version) is far larger
      // than any fat binary's slice count.
      if (big.u32(4).value_or(0) < 32) return BinaryFormat::macho;
      return std::nullopt;
    default: break;
  }
  if ((*magic >> 16) == 0x4d5a) return BinaryFormat::pe;
  return std::nullopt;
}

Result<BinaryFacts> parse_binary(std::span<const std::byte> bytes) {
  const auto format = detect_format(bytes);
  if (!format) return fail("", "not an ELF, Mach-O or PE file");
  switch (*format) {
    case BinaryFormat::elf: return parse_elf(bytes);
    case BinaryFormat::macho: return parse_macho(bytes);
    case BinaryFormat::pe: return parse_pe(bytes);
  }
  return fail("", "unknown format");
}

}  // namespace moat::native
