#include "moat/sign/tlog.hpp"

#include <algorithm>
#include <bit>
#include <charconv>

namespace moat::sign {

namespace {

std::string node_hash(char prefix, std::string_view left, std::string_view right = {}) {
  std::string data(1, prefix);
  data.append(left);
  data.append(right);
  return std::string(as_bytes(sha256(data)));
}

/// Key hints a checkpoint signature line may carry for this log: the first 4 bytes of its ids and,
/// for Ed25519 logs, of the C2SP note key id sha256(name || 0x0A || 0x01 || raw key).
std::vector<std::string> key_hints(const TransparencyLog& log) {
  std::vector<std::string> hints;
  if (log.log_id.size() >= 4) hints.push_back(log.log_id.substr(0, 4));
  if (log.checkpoint_key_id.size() >= 4) hints.push_back(log.checkpoint_key_id.substr(0, 4));
  if (EVP_PKEY_get_base_id(log.key.get()) == EVP_PKEY_ED25519) {
    std::string raw(32, '\0');
    std::size_t length = raw.size();
    if (EVP_PKEY_get_raw_public_key(log.key.get(), reinterpret_cast<unsigned char*>(raw.data()), &length) == 1) {
      const std::string material = log.host + "\n\x01" + raw.substr(0, length);
      hints.emplace_back(as_bytes(sha256(material)).substr(0, 4));
    }
  }
  return hints;
}

Result<void> verify_checkpoint(const InclusionProof& proof, const TransparencyLog& log) {
  const std::string& text = proof.checkpoint;
  const std::size_t blank = text.find("\n\n");
  if (blank == std::string::npos) return fail("checkpoint", "no blank line between note and signatures");
  const std::string note = text.substr(0, blank + 1);
  // Note body: origin, size, base64 root hash, then optional extension lines.
  std::vector<std::string_view> lines;
  for (std::size_t start = 0; start < note.size();) {
    const std::size_t end = note.find('\n', start);
    lines.emplace_back(std::string_view(note).substr(start, end - start));
    start = end + 1;
  }
  if (lines.size() < 3 || lines[0].empty()) return fail("checkpoint", "missing origin, size or root hash");
  std::int64_t size = -1;
  auto [size_end, size_error] = std::from_chars(lines[1].data(), lines[1].data() + lines[1].size(), size);
  if (size_error != std::errc{} || size_end != lines[1].data() + lines[1].size())
    return fail("checkpoint", "malformed tree size");
  auto root = base64_decode(lines[2]);
  if (!root) return fail("checkpoint", "malformed root hash");
  if (size != proof.tree_size) return fail("checkpoint", "tree size differs from the inclusion proof's");
  if (*root != proof.root_hash) return fail("checkpoint", "root hash differs from the inclusion proof's");

  static constexpr std::string_view kDash = "\xE2\x80\x94 ";
  const std::vector<std::string> hints = key_hints(log);
  bool found = false;
  for (std::size_t start = blank + 2; start < text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string_view line = std::string_view(text).substr(start, end - start);
    start = end + 1;
    if (line.empty()) continue;
    if (!line.starts_with(kDash)) return fail("checkpoint", "malformed signature line");
    line.remove_prefix(kDash.size());
    const std::size_t space = line.find(' ');
    if (space == std::string_view::npos) return fail("checkpoint", "malformed signature line");
    if (line.substr(0, space) != log.host) continue;  // witnesses and cosigners
    auto signature = base64_decode(line.substr(space + 1));
    if (!signature || signature->size() < 5) return fail("checkpoint", "malformed signature");
    const std::string hint = signature->substr(0, 4);
    if (std::find(hints.begin(), hints.end(), hint) == hints.end()) continue;
    if (!verify_message(log.key.get(), note, std::string_view(*signature).substr(4)))
      return fail("checkpoint", "the log's checkpoint signature does not verify");
    found = true;
  }
  if (!found) return fail("checkpoint", "no checkpoint signature by " + log.host);
  return {};
}

}  // namespace

Result<void> verify_signed_entry_timestamp(const TlogEntry& entry, const TransparencyLog& log) {
  // Canonical JSON with sorted keys and no whitespace (what RFC 8785 gives for these values).
  const std::string payload = R"({"body":")" + base64_encode(entry.canonicalized_body) +
                              R"(","integratedTime":)" + std::to_string(entry.integrated_time) + R"(,"logID":")" +
                              hex_encode(entry.log_id) + R"(","logIndex":)" + std::to_string(entry.log_index) + "}";
  if (!verify_message(log.key.get(), payload, entry.signed_entry_timestamp))
    return fail("signed entry timestamp", "the log's inclusion promise does not verify");
  return {};
}

Result<std::string> merkle_root_from_proof(std::string_view leaf_hash, std::int64_t index, std::int64_t size,
                                           const std::vector<std::string>& hashes) {
  if (index < 0 || size <= 0 || index >= size) return fail("inclusion proof", "log index outside the tree");
  const auto leaf_index = static_cast<std::uint64_t>(index);
  const auto last = static_cast<std::uint64_t>(size - 1);
  const int inner = static_cast<int>(std::bit_width(leaf_index ^ last));
  const int border = std::popcount(leaf_index >> inner);
  if (hashes.size() != static_cast<std::size_t>(inner + border))
    return fail("inclusion proof", "wrong number of hashes for the tree size");
  std::string node(leaf_hash);
  for (std::size_t level = 0; level < hashes.size(); ++level) {
    if (hashes[level].size() != 32) return fail("inclusion proof", "a proof hash is not 32 bytes");
    const bool on_left = level >= static_cast<std::size_t>(inner) || ((leaf_index >> level) & 1U) == 1U;
    node = on_left ? node_hash('\x01', hashes[level], node) : node_hash('\x01', node, hashes[level]);
  }
  return node;
}

Result<void> verify_inclusion_proof(const TlogEntry& entry, const TransparencyLog& log) {
  const InclusionProof& proof = *entry.inclusion_proof;
  const std::string leaf = node_hash('\x00', entry.canonicalized_body);
  auto root = merkle_root_from_proof(leaf, proof.log_index, proof.tree_size, proof.hashes);
  if (!root) return std::unexpected(root.error());
  if (*root != proof.root_hash) return fail("inclusion proof", "the proof does not lead to the root hash");
  return verify_checkpoint(proof, log);
}

}  // namespace moat::sign
