// moat's detection data for bundled C libraries (anchors measured on Debian binaries, see
// docs/native.md) and the decoders that turn each kind of evidence into a version.
#include "moat/native/libraries.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>

#include "moat/native/reader.hpp"
#include "moat/native/version.hpp"

namespace moat::native {

namespace {

// How an integer returned by a version function (or stored in a version variable) encodes the
// version.
enum class NumberScheme {
  openssl,       // 0xMNN00PP0 (3.x) or 0xMNNFFPPS (1.x, PP = letter release)
  hundreds,      // major*10000 + minor*100 + patch: libpng, zstd, lz4, libxslt, libxml2
  thousands,     // major*1000000 + minor*1000 + patch: SQLite
  lcms,          // major*1000 + minor*10: 2140 = 2.14
  xz,            // major*10^7 + minor*10^4 + patch*10 + stability
  bytes,         // 0x00MMmmpp: libwebp
  brotli,        // major<<24 | minor<<12 | patch
};

enum class SourceKind {
  int_function,     // returns an integer immediate
  string_function,  // returns a pointer to a string literal
  int_variable,     // exported int
  string_variable,  // exported char array
  string_pointer,   // exported const char* (read through its relocation)
};

struct VersionSource {
  std::string_view symbol;
  SourceKind kind;
  NumberScheme scheme = NumberScheme::hundreds;  // for integers, and decimal strings such as "20914"
  bool decimal_string = false;                   // the string holds an encoded number (libxml2)
};

struct Banner {
  std::string_view anchor;     // text right before the version
  std::string_view followed_by = {};  // text that must follow the version ("" = anything)
  bool date_follows = false;   // OpenSSL: " 27 Jan 2026" after the version
};

enum class SuffixRule { none, equals_version, table };

// Symbol-version nodes a library defines, read as the release that introduced them: the newest
// node is a lower bound of the version. Most libraries name nodes after their own releases
// ("OPENSSL_3.0.9"); libgomp names them after OpenMP versions and libstdc++ after its ABI, so
// those map node -> GCC release through a table.
struct NodeRule {
  std::string_view prefix;                                            // "OPENSSL_", "GFORTRAN_"
  std::vector<std::pair<std::string_view, std::string_view>> releases = {};  // node -> release; empty: the node's tail is the release
};

struct Signature {
  std::string_view id;
  std::string_view display_name;
  std::vector<std::string_view> file_bases;
  std::vector<VersionSource> sources;
  std::vector<Banner> banners;
  std::vector<NodeRule> node_rules = {};  // symbol-version nodes: a lower bound
  SuffixRule suffix_rule = SuffixRule::none;
  std::vector<std::pair<std::string_view, std::string_view>> suffix_table = {};  // libtool suffix -> version
  bool banner_needs_own_file = false;  // the banner is generic (GCC comment): trust it only in the library's file
  bool pcre_date_string = false;       // "10.42 2022-12-11"
};

const std::vector<Signature>& signatures() {
  static const std::vector<Signature> table = {
      {"openssl", "OpenSSL", {"libssl", "libcrypto"},
       {{"OpenSSL_version_num", SourceKind::int_function, NumberScheme::openssl},
        {"SSLeay", SourceKind::int_function, NumberScheme::openssl}},
       {{"OpenSSL ", {}, true}}, {{"OPENSSL_"}}},
      {"zlib", "zlib", {"libz", "zlib1", "zlib"}, {{"zlibVersion", SourceKind::string_function}},
       {{"deflate ", " Copyright"}, {"inflate ", " Copyright"}}, {{"ZLIB_"}}},
      {"curl", "libcurl", {"libcurl", "libcurl-gnutls", "libcurl-nss"}, {}, {{"libcurl/"}}},
      {"sqlite", "SQLite", {"libsqlite3", "sqlite3"},
       {{"sqlite3_libversion_number", SourceKind::int_function, NumberScheme::thousands},
        {"sqlite3_version", SourceKind::string_variable}},
       {}},
      {"expat", "expat", {"libexpat", "libexpatw"}, {{"XML_ExpatVersion", SourceKind::string_function}},
       {{"expat_"}}},
      {"libxml2", "libxml2", {"libxml2"},
       {{"xmlParserVersion", SourceKind::string_pointer, NumberScheme::hundreds, true}}, {}},
      {"libxslt", "libxslt", {"libxslt", "libexslt"},
       {{"xsltLibxsltVersion", SourceKind::int_variable}, {"exsltLibxsltVersion", SourceKind::int_variable}}, {}},
      {"libpng", "libpng", {"libpng16", "libpng", "libpng15", "libpng12"},
       {{"png_access_version_number", SourceKind::int_function}}, {{"libpng version "}}},
      {"libjpeg-turbo", "libjpeg-turbo", {"libjpeg", "libturbojpeg"}, {}, {{"libjpeg-turbo version "}}},
      {"libtiff", "libtiff", {"libtiff"}, {}, {{"LIBTIFF, Version "}}},
      {"libwebp", "libwebp", {"libwebp", "libwebpdemux", "libwebpmux", "libwebpdecoder", "libsharpyuv"},
       {{"WebPGetDecoderVersion", SourceKind::int_function, NumberScheme::bytes},
        {"WebPGetEncoderVersion", SourceKind::int_function, NumberScheme::bytes},
        {"WebPGetDemuxVersion", SourceKind::int_function, NumberScheme::bytes},
        {"WebPGetMuxVersion", SourceKind::int_function, NumberScheme::bytes}},
       {}},
      {"freetype", "FreeType", {"libfreetype"}, {}, {}, {}, SuffixRule::table,
       {{"6.16.1", "2.9.1"}, {"6.17.4", "2.10.4"}, {"6.18.3", "2.12.1"}, {"6.19.0", "2.13.0"}, {"6.20.1", "2.13.2"},
        {"6.20.2", "2.13.3"}}},
      {"harfbuzz", "HarfBuzz", {"libharfbuzz", "libharfbuzz-subset"},
       {{"hb_version_string", SourceKind::string_function}}, {}},
      {"lcms2", "Little CMS", {"liblcms2"},
       {{"cmsGetEncodedCMMversion", SourceKind::int_function, NumberScheme::lcms}}, {}},
      {"openjpeg", "OpenJPEG", {"libopenjp2"}, {{"opj_version", SourceKind::string_function}}, {}},
      {"libffi", "libffi", {"libffi"}, {}, {}, {}, SuffixRule::table,
       {{"7.1.0", "3.3"}, {"8.1.0", "3.4.2"}, {"8.1.2", "3.4.4"}, {"8.1.3", "3.4.5"}, {"8.1.4", "3.4.6"}}},
      {"libyaml", "LibYAML", {"libyaml-0", "libyaml"}, {{"yaml_get_version_string", SourceKind::string_function}}, {}},
      {"bzip2", "bzip2", {"libbz2"}, {{"BZ2_bzlibVersion", SourceKind::string_function}}, {}},
      {"xz", "XZ Utils (liblzma)", {"liblzma"},
       {{"lzma_version_number", SourceKind::int_function, NumberScheme::xz},
        {"lzma_version_string", SourceKind::string_function}},
       {}, {{"XZ_"}}, SuffixRule::equals_version},
      {"zstd", "Zstandard", {"libzstd"}, {{"ZSTD_versionNumber", SourceKind::int_function}}, {}, {},
       SuffixRule::equals_version},
      {"lz4", "LZ4", {"liblz4"}, {{"LZ4_versionNumber", SourceKind::int_function}}, {}, {}, SuffixRule::equals_version},
      {"libssh2", "libssh2", {"libssh2"}, {}, {{"SSH-2.0-libssh2_"}}},
      {"pcre2", "PCRE2", {"libpcre2-8", "libpcre2-16", "libpcre2-32", "libpcre2-posix"}, {}, {}, {}, SuffixRule::none, {},
       false, true},
      {"openblas", "OpenBLAS", {"libopenblas", "libopenblasp", "libopenblas64_", "libopenblas64", "libscipy_openblas"},
       {}, {{"OpenBLAS "}}},
      {"gmp", "GMP", {"libgmp"}, {{"__gmp_version", SourceKind::string_pointer}}, {}},
      {"brotli", "Brotli", {"libbrotlicommon", "libbrotlidec", "libbrotlienc"},
       {{"BrotliDecoderVersion", SourceKind::int_function, NumberScheme::brotli},
        {"BrotliEncoderVersion", SourceKind::int_function, NumberScheme::brotli}},
       {}, {}, SuffixRule::equals_version},
      // Versions are GCC releases. Debian strips the "GCC: (...)" comment, so its builds carry only
      // nodes: libgfortran's and libgcc_s's are named after the GCC release that added them.
      {"gcc-runtime", "GCC runtime", {"libgfortran", "libgomp", "libquadmath", "libgcc_s", "libstdc++"}, {},
       {{"GCC: (", ") "}},
       {{"GFORTRAN_"},
        {"GCC_"},
        {"GOMP_",
         {{"GOMP_1.0", "4.2"}, {"GOMP_2.0", "4.4"}, {"GOMP_3.0", "4.7"}, {"GOMP_4.0", "4.9"}, {"GOMP_4.0.1", "5"},
          {"GOMP_4.5", "6"}, {"GOMP_5.0", "9"}, {"GOMP_5.0.1", "11"}, {"GOMP_5.1", "12"}, {"GOMP_5.1.1", "13"},
          {"GOMP_5.1.2", "14"}}},
        {"GLIBCXX_",
         {{"GLIBCXX_3.4.21", "5.1"}, {"GLIBCXX_3.4.22", "6.1"}, {"GLIBCXX_3.4.23", "7.1"}, {"GLIBCXX_3.4.24", "7.2"},
          {"GLIBCXX_3.4.25", "8.1"}, {"GLIBCXX_3.4.26", "9.1"}, {"GLIBCXX_3.4.27", "9.2"}, {"GLIBCXX_3.4.28", "10.1"},
          {"GLIBCXX_3.4.29", "11.1"}, {"GLIBCXX_3.4.30", "12.1"}, {"GLIBCXX_3.4.31", "13.1"},
          {"GLIBCXX_3.4.32", "13.2"}, {"GLIBCXX_3.4.33", "14.1"}}}},
       SuffixRule::none, {}, true},
  };
  return table;
}

bool is_hex(std::string_view text) {
  return std::ranges::all_of(text, [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
}

std::string lower(std::string_view text) {
  std::string result(text);
  for (auto& c : result) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return result;
}

// The longest version token at the start of text: digits and dots, then an optional letter run
// (OpenSSL's "1.1.1w"). Needs at least one dot.
std::string_view version_token(std::string_view text) {
  std::size_t end = 0;
  while (end < text.size() && (std::isdigit(static_cast<unsigned char>(text[end])) != 0 || text[end] == '.')) ++end;
  while (end > 0 && text[end - 1] == '.') --end;
  if (end == 0 || text.substr(0, end).find('.') == std::string_view::npos) return {};
  std::size_t letters = end;
  while (letters < text.size() && letters - end < 2 && std::islower(static_cast<unsigned char>(text[letters])) != 0)
    ++letters;
  // Accept the letters only when they end the token (1.1.1w) rather than start a word (1.0.2beta).
  if (letters == text.size() || std::isalpha(static_cast<unsigned char>(text[letters])) == 0) end = letters;
  return text.substr(0, end);
}

std::string three_part(std::uint64_t major, std::uint64_t minor, std::uint64_t patch) {
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

std::optional<std::string> format_number(std::uint64_t value, NumberScheme scheme) {
  switch (scheme) {
    case NumberScheme::openssl: {
      const auto major = value >> 28;
      if (major == 0) return std::nullopt;
      if (major >= 3) return three_part(major, (value >> 20) & 0xff, (value >> 4) & 0xff);
      auto text = three_part(major, (value >> 20) & 0xff, (value >> 12) & 0xff);
      // Letter releases: 1 = a ... 26 = z, 27 = za, ...
      if (auto letter = (value >> 4) & 0xff; letter != 0) {
        for (; letter > 26; letter -= 26) text += 'z';
        text += static_cast<char>('a' + letter - 1);
      }
      return text;
    }
    case NumberScheme::hundreds:
      if (value < 100) return std::nullopt;
      return three_part(value / 10000, value / 100 % 100, value % 100);
    case NumberScheme::thousands:
      if (value < 1000000) return std::nullopt;
      return three_part(value / 1000000, value / 1000 % 1000, value % 1000);
    case NumberScheme::lcms:
      if (value < 1000) return std::nullopt;
      return std::to_string(value / 1000) + "." + std::to_string(value % 1000 / 10);
    case NumberScheme::xz:
      if (value < 10000000) return std::nullopt;
      return three_part(value / 10000000, value / 10000 % 1000, value / 10 % 1000);
    case NumberScheme::bytes:
      if (value == 0 || value > 0xffffff) return std::nullopt;
      return three_part(value >> 16, (value >> 8) & 0xff, value & 0xff);
    case NumberScheme::brotli:
      if (value == 0) return std::nullopt;
      return three_part(value >> 24, (value >> 12) & 0xfff, value & 0xfff);
  }
  return std::nullopt;
}

std::string hex(std::uint64_t value) {
  static constexpr std::string_view kDigits = "0123456789abcdef";
  std::string text;
  do {
    text.insert(text.begin(), kDigits[value & 0xf]);
    value >>= 4;
  } while (value != 0);
  return "0x" + text;
}

// Reads code and data at virtual addresses of one parsed binary.
class ImageView {
 public:
  ImageView(std::span<const std::byte> bytes, const BinaryFacts& facts)
      : reader_(bytes, facts.big_endian), facts_(facts) {}

  [[nodiscard]] bool can_decode_code() const { return facts_.architecture == "x86_64"; }

  // The immediate of `mov eax, imm32; ret`, after an optional endbr64.
  [[nodiscard]] std::optional<std::uint32_t> returned_immediate(std::uint64_t address) const {
    const auto code = function_start(address);
    if (!code || reader_.u8(*code) != 0xb8 || reader_.u8(*code + 5) != 0xc3) return std::nullopt;
    return reader_.u32(*code + 1);
  }

  // The string a `lea rax, [rip+d]; ret` (or `mov rax, [rip+d]; ret` through a pointer) returns.
  [[nodiscard]] std::optional<std::string_view> returned_string(std::uint64_t address) const {
    const auto code = function_start(address);
    if (!code || reader_.u8(*code) != 0x48 || reader_.u8(*code + 7) != 0xc3) return std::nullopt;
    const auto opcode = reader_.u8(*code + 1);
    const auto modrm = reader_.u8(*code + 2);
    const auto displacement = reader_.u32(*code + 3);
    if (modrm != 0x05 || !displacement) return std::nullopt;
    const auto instruction_end = address + (*code - *offset_of(address, 1)) + 7;
    const auto target = instruction_end + static_cast<std::uint64_t>(static_cast<std::int64_t>(static_cast<std::int32_t>(*displacement)));
    if (opcode == 0x8d) return string_at(target);
    if (opcode == 0x8b) {
      const auto pointer = pointer_at(target);
      return pointer ? string_at(*pointer) : std::nullopt;
    }
    return std::nullopt;
  }

  [[nodiscard]] std::optional<std::uint32_t> int_at(std::uint64_t address) const {
    const auto at = offset_of(address, 4);
    return at ? reader_.u32(*at) : std::nullopt;
  }

  [[nodiscard]] std::optional<std::string_view> string_at(std::uint64_t address) const {
    const auto at = offset_of(address, 1);
    return at ? reader_.c_string(*at, 256) : std::nullopt;
  }

  // A pointer stored at address: its relative relocation's addend when there is one (position-
  // independent ELF stores 0 in the file), else the stored word.
  [[nodiscard]] std::optional<std::uint64_t> pointer_at(std::uint64_t address) const {
    const auto& relocations = facts_.elf.relative_relocations;
    const auto found = std::ranges::lower_bound(relocations, std::pair<std::uint64_t, std::uint64_t>{address, 0});
    if (found != relocations.end() && found->first == address) return found->second;
    const auto at = offset_of(address, facts_.is_64_bit ? 8 : 4);
    return at ? reader_.word(*at, facts_.is_64_bit) : std::nullopt;
  }

 private:
  [[nodiscard]] std::optional<std::uint64_t> offset_of(std::uint64_t address, std::uint64_t length) const {
    return facts_.file_offset(address, length);
  }

  [[nodiscard]] std::optional<std::uint64_t> function_start(std::uint64_t address) const {
    const auto at = offset_of(address, 16);
    if (!at) return std::nullopt;
    const bool endbr64 = reader_.u8(*at) == 0xf3 && reader_.u8(*at + 1) == 0x0f && reader_.u8(*at + 2) == 0x1e &&
                         reader_.u8(*at + 3) == 0xfa;
    return endbr64 ? *at + 4 : *at;
  }

  ByteReader reader_;
  const BinaryFacts& facts_;
};

// The version a source yields, and the evidence text.
std::optional<std::pair<std::string, std::string>> read_source(const VersionSource& source, const Symbol& symbol,
                                                               const ImageView& image) {
  const std::string name(source.symbol);
  std::optional<std::uint64_t> number;
  std::optional<std::string_view> text;
  switch (source.kind) {
    case SourceKind::int_function:
      if (!image.can_decode_code()) return std::nullopt;
      number = image.returned_immediate(symbol.value);
      break;
    case SourceKind::string_function:
      if (!image.can_decode_code()) return std::nullopt;
      text = image.returned_string(symbol.value);
      break;
    case SourceKind::int_variable: number = image.int_at(symbol.value); break;
    case SourceKind::string_variable: text = image.string_at(symbol.value); break;
    case SourceKind::string_pointer:
      if (const auto pointer = image.pointer_at(symbol.value)) text = image.string_at(*pointer);
      break;
  }
  if (number) {
    auto version = format_number(*number, source.scheme);
    if (!version) return std::nullopt;
    const bool function = source.kind == SourceKind::int_function;
    return std::pair{*version, name + (function ? "() returns " : " = ") + (source.scheme == NumberScheme::openssl ||
                                                                                     source.scheme == NumberScheme::bytes ||
                                                                                     source.scheme == NumberScheme::brotli
                                                                                 ? hex(*number)
                                                                                 : std::to_string(*number))};
  }
  if (!text) return std::nullopt;
  const std::string shown = "\"" + printable(*text) + "\"";
  const auto described = name + (source.kind == SourceKind::string_function ? "() returns " : " = ") + shown;
  if (source.decimal_string) {
    if (text->empty() || text->size() > 9 || !std::ranges::all_of(*text, [](char c) { return c >= '0' && c <= '9'; }))
      return std::nullopt;
    auto version = format_number(std::stoull(std::string(*text)), source.scheme);
    return version ? std::optional(std::pair{*version, described}) : std::nullopt;
  }
  const auto digit = text->find_first_of("0123456789");
  if (digit == std::string_view::npos) return std::nullopt;
  const auto version = version_token(text->substr(digit));
  if (version.empty()) return std::nullopt;
  return std::pair{std::string(version), described};
}

// The version after the occurrence of `banner.anchor` at `at`, when that occurrence is a banner.
std::optional<std::pair<std::string, std::string>> banner_at(std::string_view data, std::size_t at, const Banner& banner) {
  auto rest = data.substr(at + banner.anchor.size(), 96);
  if (banner.anchor == "GCC: (") {  // "GCC: (GNU) 9.3.1 ..." / "GCC: (Debian 12.2.0-14) 12.2.0"
    const auto close = rest.find(banner.followed_by);
    if (close == std::string_view::npos) return std::nullopt;
    rest = rest.substr(close + banner.followed_by.size());
  }
  const auto version = version_token(rest);
  if (version.empty()) return std::nullopt;
  const auto after = rest.substr(version.size());
  if (banner.anchor != "GCC: (" && !banner.followed_by.empty() && !after.starts_with(banner.followed_by))
    return std::nullopt;
  if (banner.date_follows) {
    // "OpenSSL 3.0.19 27 Jan 2026", "OpenSSL 1.1.1w  11 Sep 2023", "OpenSSL 3.2.0-alpha1 ..."
    auto date = after;
    if (date.starts_with("-")) date = date.substr(std::min(date.find(' '), date.size()));
    while (date.starts_with(" ")) date.remove_prefix(1);
    if (date.empty() || std::isdigit(static_cast<unsigned char>(date.front())) == 0 || after.size() == date.size())
      return std::nullopt;
  }
  const auto end = data.substr(at).find_first_of(std::string_view("\0\n", 2));
  const auto shown = data.substr(at, std::min<std::size_t>(end, 80));
  return std::pair{std::string(version), "banner \"" + printable(shown) + "\""};
}

// Every signature's banners, in table order: the index of a banner in find_banners' answer.
const std::vector<const Banner*>& all_banners() {
  static const std::vector<const Banner*> table = [] {
    std::vector<const Banner*> result;
    for (const auto& signature : signatures())
      for (const auto& banner : signature.banners) result.push_back(&banner);
    return result;
  }();
  return table;
}

// 32 bytes at a time, with GCC's vector extensions: most of a binary holds no anchor's first two
// bytes, and is passed over a block at a time.
using Block = signed char __attribute__((vector_size(32)));
constexpr std::size_t kBlock = sizeof(Block);

// The anchors' distinct first two bytes, each repeated over a block, for the block test (every
// anchor has at least two bytes).
const std::vector<std::pair<Block, Block>>& anchor_prefixes() {
  static const std::vector<std::pair<Block, Block>> table = [] {
    std::vector<std::pair<char, char>> distinct;
    for (const auto* banner : all_banners())
      if (const std::pair prefix{banner->anchor[0], banner->anchor[1]}; std::ranges::find(distinct, prefix) == distinct.end())
        distinct.push_back(prefix);
    std::vector<std::pair<Block, Block>> result;
    for (const auto& [first, second] : distinct) {
      Block firsts, seconds;
      for (std::size_t i = 0; i < kBlock; ++i) {
        firsts[i] = static_cast<signed char>(first);
        seconds[i] = static_cast<signed char>(second);
      }
      result.emplace_back(firsts, seconds);
    }
    return result;
  }();
  return table;
}

// Calls check(offset) for every offset where one of anchor_prefixes() starts, from 0 on while
// `open` is not 0, a block at a time; returns the offset it stopped at (the last block's worth of
// bytes is left to the caller). On x86-64 a clone for AVX2 processors is chosen at load time: one
// instruction per 32 bytes instead of two halves of 16.
// The clones take the prefixes as a plain array: clang-16 leaves the instantiations of container
// members over vector types undefined when a target_clones function calls them.
#if defined(__x86_64__)
[[gnu::target_clones("avx2", "default")]]
#endif
std::size_t scan_blocks(std::string_view data, const std::pair<Block, Block>* prefixes, std::size_t prefix_count,
                        const std::size_t& open, const std::function<void(std::size_t)>& check) {
  std::size_t at = 0;
  for (; open != 0 && at + kBlock + 1 <= data.size(); at += kBlock) {
    Block here;
    Block next;
    std::memcpy(&here, data.data() + at, kBlock);
    std::memcpy(&next, data.data() + at + 1, kBlock);
    Block candidates{};
    for (std::size_t p = 0; p < prefix_count; ++p)
      candidates |= (here == prefixes[p].first) & (next == prefixes[p].second);
    std::array<std::uint64_t, kBlock / 8> words{};
    std::memcpy(words.data(), &candidates, kBlock);
    if (std::ranges::none_of(words, [](std::uint64_t word) { return word != 0; })) continue;
    for (std::size_t offset = 0; offset < kBlock; ++offset)
      if (candidates[offset] != 0) check(at + offset);
  }
  return at;
}

std::size_t scan_anchor_prefixes(std::string_view data, const std::size_t& open,
                                 const std::function<void(std::size_t)>& check) {
  const auto& prefixes = anchor_prefixes();
  return scan_blocks(data, prefixes.data(), prefixes.size(), open, check);
}

// For every banner of all_banners(), the version after the first occurrence of its anchor that is
// a banner: one pass over the bytes for all anchors (binaries run to tens of megabytes, and a
// memmem per anchor read each of them once per anchor).
std::vector<std::optional<std::pair<std::string, std::string>>> find_banners(std::string_view data) {
  const auto& banners = all_banners();
  std::vector<std::optional<std::pair<std::string, std::string>>> found(banners.size());
  std::size_t open = banners.size();
  const auto check = [&](std::size_t at) {
    for (std::size_t index = 0; index < banners.size(); ++index) {
      if (found[index] || data[at] != banners[index]->anchor[0] || !data.substr(at).starts_with(banners[index]->anchor))
        continue;
      if ((found[index] = banner_at(data, at, *banners[index]))) --open;
    }
  };
  for (std::size_t at = scan_anchor_prefixes(data, open, check); open != 0 && at < data.size(); ++at) check(at);
  return found;
}

// PCRE2 carries "10.42 2022-12-11" as its own NUL-terminated string.
std::optional<std::pair<std::string, std::string>> find_pcre_date_string(std::string_view data) {
  constexpr std::string_view kShape = "dd.dd dddd-dd-dd";
  for (std::size_t at = data.find(" 20"); at != std::string_view::npos && at >= 5; at = data.find(" 20", at + 1)) {
    const auto start = at - 5;
    if (start + kShape.size() + 1 > data.size() || (start > 0 && data[start - 1] != '\0')) continue;
    const auto candidate = data.substr(start, kShape.size());
    bool shaped = data[start + kShape.size()] == '\0';
    for (std::size_t index = 0; shaped && index < kShape.size(); ++index)
      shaped = kShape[index] == 'd' ? std::isdigit(static_cast<unsigned char>(candidate[index])) != 0
                                    : candidate[index] == kShape[index];
    if (shaped) return std::pair{std::string(candidate.substr(0, 5)), "version string \"" + std::string(candidate) + "\""};
  }
  return std::nullopt;
}

// "OPENSSL_3.0.9" -> "3.0.9", "OPENSSL_1_1_1d" -> "1.1.1d", "GFORTRAN_12" -> "12", "GOMP_5.1" -> "12"
// (by table); the highest release of all nodes is a lower bound.
std::optional<std::pair<std::string, std::string>> highest_version_node(const BinaryFacts& facts,
                                                                         std::span<const NodeRule> rules) {
  std::optional<std::string> best;
  std::string best_node;
  const auto consider = [&](std::string version, std::string_view node) {
    if (!best || compare_versions(version, *best) > 0) {
      best = std::move(version);
      best_node = node;
    }
  };
  for (const auto& node : facts.version_definitions) {
    for (const auto& rule : rules) {
      if (!node.starts_with(rule.prefix)) continue;
      if (!rule.releases.empty()) {
        for (const auto& [known, release] : rule.releases)
          if (known == node) consider(std::string(release), node);
        continue;
      }
      std::string version(node.substr(rule.prefix.size()));
      std::ranges::replace(version, '_', '.');
      const bool bare_release = !version.empty() && std::ranges::all_of(version, [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
      if (bare_release || version_token(version) == version) consider(std::move(version), node);
    }
  }
  if (!best) return std::nullopt;
  return std::pair{*best, "symbol-version node " + best_node};
}

}  // namespace

std::string_view to_string(EvidenceKind kind) {
  switch (kind) {
    case EvidenceKind::version_function: return "version-symbol";
    case EvidenceKind::banner: return "banner";
    case EvidenceKind::version_node: return "version-node";
    case EvidenceKind::file_name: return "file-name";
    case EvidenceKind::sibling: return "sibling";
    case EvidenceKind::sbom: return "sbom";
    case EvidenceKind::known_build: return "known-build";
  }
  return "?";
}

NormalizedName normalize_library_name(std::string_view file_name) {
  if (const auto slash = file_name.find_last_of("/\\"); slash != std::string_view::npos) file_name.remove_prefix(slash + 1);
  NormalizedName result;
  const auto dot = file_name.find('.');
  std::string_view base = file_name.substr(0, dot);
  const std::string_view rest = dot == std::string_view::npos ? std::string_view{} : file_name.substr(dot);
  if (const auto dash = base.rfind('-'); dash != std::string_view::npos) {
    const auto tail = base.substr(dash + 1);
    if ((tail.size() == 8 || tail.size() == 32) && is_hex(tail) &&
        std::ranges::any_of(tail, [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; })) {
      result.hash = tail;
      result.renamed_by = tail.size() == 8 ? "auditwheel" : "delvewheel";
      base = base.substr(0, dash);
    }
  }
  result.base = base;
  result.name = std::string(base) + std::string(rest);
  if (const auto so = rest.find(".so."); so != std::string_view::npos) result.suffix = rest.substr(so + 4);
  else if (rest.ends_with(".dylib") && rest.size() > 7) result.suffix = rest.substr(1, rest.size() - 7);
  return result;
}

std::string library_of_package(std::string_view package) {
  const auto name = lower(package);
  const auto names_it = [&](std::string_view stem) {
    if (!std::string_view(name).starts_with(stem)) return false;
    const auto next = name.size() > stem.size() ? name[stem.size()] : '\0';
    return next == '\0' || next == '-' || next == '.' || std::isdigit(static_cast<unsigned char>(next)) != 0;
  };
  for (const auto& signature : signatures()) {
    if (names_it(signature.id)) return std::string(signature.id);
    if (std::ranges::any_of(signature.file_bases, names_it)) return std::string(signature.id);
  }
  return {};
}

std::vector<KnownLibrary> known_libraries() {
  std::vector<KnownLibrary> result;
  for (const auto& signature : signatures()) result.push_back({signature.id, signature.display_name});
  return result;
}

std::vector<LibraryIdentification> identify_libraries(std::string_view file_name, std::span<const std::byte> bytes,
                                                      const BinaryFacts& facts) {
  const auto normalized = normalize_library_name(file_name);
  const auto base = lower(normalized.base);
  const auto data = as_chars(bytes);
  const ImageView image(bytes, facts);
  std::vector<LibraryIdentification> found;
  auto banners = find_banners(data);
  std::size_t first_banner = 0;  // the signature's first banner in `banners`

  for (const auto& signature : signatures()) {
    // The file is this library when its name says so (trying "libcrypto-3-x64" -> "libcrypto") or it
    // exports one of the library's version symbols.
    bool own_file = false;
    for (std::string_view candidate = base; !candidate.empty() && !own_file;) {
      own_file = std::ranges::find(signature.file_bases, candidate) != signature.file_bases.end();
      const auto dash = candidate.rfind('-');
      candidate = dash == std::string_view::npos ? std::string_view{} : candidate.substr(0, dash);
    }
    LibraryIdentification identification;
    identification.library = signature.id;
    identification.display_name = signature.display_name;
    if (own_file)
      identification.evidence.push_back({EvidenceKind::file_name, "file name " + normalized.name +
                                                                      (normalized.renamed_by.empty() ? "" : " (renamed by " + normalized.renamed_by + ")")});
    const auto settle = [&](std::pair<std::string, std::string> result, EvidenceKind kind, Confidence confidence) {
      identification.evidence.push_back({kind, std::move(result.second)});
      if (identification.version.empty()) {
        identification.version = std::move(result.first);
        identification.confidence = confidence;
        identification.version_is_lower_bound = kind == EvidenceKind::version_node;
      }
    };

    for (const auto& source : signature.sources) {
      const auto* symbol = facts.find_export(source.symbol);
      if (symbol == nullptr) continue;
      own_file = true;
      if (auto result = read_source(source, *symbol, image)) {
        settle(std::move(*result), EvidenceKind::version_function, Confidence::high);
        break;
      }
    }
    if (!signature.banner_needs_own_file || own_file) {
      for (std::size_t index = first_banner; index < first_banner + signature.banners.size(); ++index) {
        if (banners[index]) {
          settle(std::move(*banners[index]), EvidenceKind::banner, Confidence::high);
          break;
        }
      }
    }
    first_banner += signature.banners.size();
    if (own_file && signature.pcre_date_string) {
      if (auto result = find_pcre_date_string(data)) settle(std::move(*result), EvidenceKind::banner, Confidence::high);
    }
    if (own_file && !signature.node_rules.empty()) {
      if (auto result = highest_version_node(facts, signature.node_rules))
        settle(std::move(*result), EvidenceKind::version_node, Confidence::low);
    }
    if (own_file && !normalized.suffix.empty()) {
      std::optional<std::string> hinted;
      if (signature.suffix_rule == SuffixRule::equals_version && std::ranges::count(normalized.suffix, '.') == 2)
        hinted = normalized.suffix;
      for (const auto& [suffix, version] : signature.suffix_table)
        if (suffix == normalized.suffix) hinted = std::string(version);
      if (hinted) settle({*hinted, "libtool suffix ." + normalized.suffix}, EvidenceKind::file_name, Confidence::low);
    }
    if (identification.evidence.empty()) continue;
    identification.statically_linked = !own_file;
    if (identification.version.empty()) identification.confidence = own_file ? Confidence::medium : Confidence::low;
    found.push_back(std::move(identification));
  }
  return found;
}

}  // namespace moat::native
