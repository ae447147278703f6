#pragma once
// A zip's central directory read directly, so that the members of a wheel or zip sdist held in
// memory can be inflated independently (several at once, on worker threads). Only plain archives
// are taken this way: a single disk, no zip64, no encryption, stored or deflated members, regular
// files and directories only, a local header that repeats the central name and method for every
// member, members in offset order without overlap, ASCII names. Anything else
// (and so every unusual or hostile layout) is left to libarchive, the general reader, unchanged.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "moat/dist/digest.hpp"

namespace moat::dist {

struct ZipMember {
  std::string name;                  // as stored
  std::uint64_t data_offset = 0;     // of the member's (compressed) bytes in the archive
  std::uint64_t compressed_size = 0;
  std::uint64_t declared_size = 0;   // the uncompressed size the directory claims (untrusted)
  bool deflated = false;             // otherwise stored
  bool directory = false;
};

/// The members of `archive` in archive order, at most `max_members` of them (the rest are not
/// looked at), or nullopt when the archive is not plain in the sense above.
std::optional<std::vector<ZipMember>> read_plain_zip_directory(std::string_view archive, std::size_t max_members);

/// One member's bytes, inflated and hashed.
struct InflatedMember {
  std::shared_ptr<const std::string> inflated;  // the bytes of a buffered deflated member
  std::string_view data;   // the member's bytes when buffered (into `inflated`, or the archive when stored)
  bool buffered = false;   // complete and at most max_buffered bytes
  Sha256 sha256{};         // of the first `size` bytes
  std::uint64_t size = 0;  // bytes produced, at most `cap`
  std::string error;       // corrupt deflate data (the bytes before it are counted and hashed)
};

/// Inflates and hashes `member` of `archive`, producing at most `cap` bytes (reading stops there:
/// this is what bounds a bomb's cost) and buffering it when it is at most `max_buffered` bytes.
InflatedMember inflate_member(std::string_view archive, const ZipMember& member, std::uint64_t cap,
                              std::uint64_t max_buffered);

}  // namespace moat::dist
