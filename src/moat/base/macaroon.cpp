#include "moat/base/macaroon.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdint>

#include "moat/util/encoding.hpp"

namespace moat {

namespace {

constexpr std::size_t kSignatureBytes = 32;

enum FieldType : unsigned { kEnd = 0, kLocation = 1, kIdentifier = 2, kVerificationId = 4, kSignature = 6 };

class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}
  [[nodiscard]] bool done() const { return at_ >= bytes_.size(); }
  [[nodiscard]] std::size_t position() const { return at_; }
  [[nodiscard]] unsigned char peek() const { return static_cast<unsigned char>(bytes_[at_]); }

  Result<std::uint64_t> varint() {
    std::uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (done()) return fail("token", fmt::format("truncated length at byte {}", at_));
      const auto byte = static_cast<unsigned char>(bytes_[at_++]);
      value |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) return value;
    }
    return fail("token", fmt::format("oversized length at byte {}", at_));
  }
  Result<std::string_view> take(std::uint64_t length) {
    if (length > bytes_.size() - at_)
      return fail("token", fmt::format("field at byte {} claims {} bytes but only {} remain", at_, length,
                                       bytes_.size() - at_));
    auto out = bytes_.substr(at_, static_cast<std::size_t>(length));
    at_ += static_cast<std::size_t>(length);
    return out;
  }

 private:
  std::string_view bytes_;
  std::size_t at_ = 0;
};

struct Field {
  unsigned type = kEnd;
  std::string_view data;
};

Result<Field> read_field(ByteReader& reader) {
  auto type = reader.varint();
  if (!type) return std::unexpected(type.error());
  if (*type == kEnd) return Field{};
  if (*type != kLocation && *type != kIdentifier && *type != kVerificationId && *type != kSignature)
    return fail("token", fmt::format("unknown macaroon field type {} at byte {}", *type, reader.position()));
  auto length = reader.varint();
  if (!length) return std::unexpected(length.error());
  auto data = reader.take(*length);
  if (!data) return std::unexpected(data.error());
  return Field{static_cast<unsigned>(*type), *data};
}

}  // namespace

Result<Macaroon> parse_macaroon_v2(std::string_view bytes) {
  if (bytes.empty()) return fail("token", "empty macaroon");
  if (static_cast<unsigned char>(bytes[0]) != 2)
    return fail("token", fmt::format("macaroon format version {} is not 2 (libmacaroons V2 binary)",
                                     static_cast<unsigned>(static_cast<unsigned char>(bytes[0]))));
  ByteReader reader(bytes.substr(1));
  Macaroon macaroon;
  bool have_identifier = false;
  for (;;) {  // header: [location] identifier end
    auto field = read_field(reader);
    if (!field) return std::unexpected(field.error());
    if (field->type == kEnd) break;
    if (field->type == kLocation) macaroon.location = std::string(field->data);
    else if (field->type == kIdentifier) {
      macaroon.identifier = std::string(field->data);
      have_identifier = true;
    } else {
      return fail("token", "unexpected field in the macaroon header");
    }
  }
  if (!have_identifier) return fail("token", "the macaroon has no identifier");
  for (;;) {  // caveats, each [location] identifier [vid] end; a lone end closes the list
    if (reader.done()) return fail("token", "truncated macaroon: the caveat list does not end");
    if (reader.peek() == kEnd) {
      (void)reader.varint();
      break;
    }
    MacaroonCaveat caveat;
    bool caveat_identifier = false;
    for (;;) {
      auto field = read_field(reader);
      if (!field) return std::unexpected(field.error());
      if (field->type == kEnd) break;
      if (field->type == kLocation) caveat.location = std::string(field->data);
      else if (field->type == kIdentifier) {
        caveat.identifier = std::string(field->data);
        caveat_identifier = true;
      } else if (field->type == kVerificationId) {
        caveat.third_party = true;
      } else {
        return fail("token", "unexpected signature inside a caveat");
      }
    }
    if (!caveat_identifier) return fail("token", "a caveat has no identifier");
    macaroon.caveats.push_back(std::move(caveat));
  }
  auto signature = read_field(reader);
  if (!signature) return std::unexpected(signature.error());
  if (signature->type != kSignature) return fail("token", "the macaroon has no signature");
  if (signature->data.size() != kSignatureBytes)
    return fail("token", fmt::format("the signature is {} bytes, not {}", signature->data.size(), kSignatureBytes));
  if (!reader.done()) return fail("token", "unexpected bytes after the signature");
  return macaroon;
}

Result<Macaroon> parse_pypi_token(std::string_view token) {
  if (!token.starts_with("pypi-")) return fail("token", "not a PyPI API token (it must start with `pypi-`)");
  auto bytes = base64_decode(token.substr(5));
  if (!bytes) return fail("token", "the token body is not base64url");
  return parse_macaroon_v2(*bytes);
}

std::optional<Macaroon> decode_pypi_token(std::string_view token) {
  auto macaroon = parse_pypi_token(token);
  if (!macaroon || token.size() < 5 + 54 || macaroon->identifier.empty()) return std::nullopt;
  const bool printable_location =
      std::ranges::all_of(macaroon->location, [](unsigned char c) { return c >= 0x20 && c < 0x7F; });
  if (!printable_location) return std::nullopt;
  return std::move(*macaroon);
}

std::vector<TokenSpan> find_pypi_tokens(std::string_view text) {
  constexpr std::size_t kMinimumBody = 50;
  const auto is_token_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_'; };
  std::vector<TokenSpan> found;
  for (std::size_t at = text.find("pypi-"); at != std::string_view::npos; at = text.find("pypi-", at)) {
    std::size_t end = at + 5;
    while (end < text.size() && is_token_char(text[end])) ++end;
    if (end - at - 5 >= kMinimumBody && (at == 0 || !is_token_char(text[at - 1])) && decode_pypi_token(text.substr(at, end - at)))
      found.push_back({at, end - at});
    at = end;
  }
  return found;
}

}  // namespace moat
