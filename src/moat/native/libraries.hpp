#pragma once
// Which C libraries a binary is or contains, and which versions, from moat's own detection data:
// file names (auditwheel/delvewheel hashes stripped), exported version functions decoded from
// their first instructions, version banners, symbol-version nodes and libtool suffixes.
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "moat/base/finding.hpp"
#include "moat/native/binary.hpp"

namespace moat::native {

enum class EvidenceKind { version_function, banner, version_node, file_name, sibling, sbom, known_build };
std::string_view to_string(EvidenceKind kind);

struct Evidence {
  EvidenceKind kind = EvidenceKind::file_name;
  std::string detail;  // "OpenSSL_version_num() returns 0x30000130", "banner \"expat_2.5.0\""
};

struct LibraryIdentification {
  std::string library;       // id used by the vulnerability data: "openssl", "zlib", "curl", ...
  std::string display_name;  // "OpenSSL"
  std::string version;       // upstream version; empty when unknown
  bool version_is_lower_bound = false;  // only symbol-version nodes: "at least"
  Confidence confidence = Confidence::low;
  bool statically_linked = false;  // found inside a binary that is not this library's own file
  std::vector<Evidence> evidence;
};

/// A library file name with the repair tools' hashes removed.
struct NormalizedName {
  std::string name;    // "libcrypto.so.3" for "libcrypto-55019c10.so.3"
  std::string base;    // "libcrypto"
  std::string suffix;  // libtool suffix after ".so.": "3", "16.39.0"
  std::string hash;    // "55019c10" (auditwheel: SHA-256 prefix of the original file), or empty
  std::string renamed_by;  // "auditwheel", "delvewheel" or empty
};
NormalizedName normalize_library_name(std::string_view file_name);

/// Every library moat has detection data for, by id, with its display name.
struct KnownLibrary {
  std::string_view id;
  std::string_view display_name;
};
std::vector<KnownLibrary> known_libraries();

/// The library id an operating-system package provides ("libssl3", "openssl-libs" -> "openssl";
/// "zlib1g" -> "zlib"; "libzstd1" -> "zstd"), or empty: its name is a library's id or file base
/// followed by nothing, a digit, '-' or '.'.
std::string library_of_package(std::string_view package);

/// Identifies the libraries a binary is (its own file) or contains (statically linked copies).
/// `file_name` is the path or name inside an archive; only its last component is used.
std::vector<LibraryIdentification> identify_libraries(std::string_view file_name, std::span<const std::byte> bytes,
                                                      const BinaryFacts& facts);

}  // namespace moat::native
