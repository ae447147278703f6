// libFuzzer target for the archive readers and the checks that parse what they yield: the input is
// read as a wheel, a tar sdist and a conda package, then RECORD, metadata, paths.json and the secret
// scanner run on whatever members came out. Small limits keep each run fast.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "moat/dist/archive.hpp"
#include "moat/dist/conda.hpp"
#include "moat/dist/sdist.hpp"
#include "moat/dist/secrets.hpp"
#include "moat/dist/wheel.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  moat::dist::ArchiveLimits limits;
  limits.max_entries = 1000;
  limits.max_entry_bytes = 8 << 20;
  limits.max_total_bytes = 32 << 20;
  limits.ratio_floor_bytes = 1 << 20;
  for (auto [kind, name] : {std::pair{moat::dist::ArchiveKind::wheel, "f-1.0-py3-none-any.whl"},
                            std::pair{moat::dist::ArchiveKind::sdist_tar, "f-1.0.tar.gz"},
                            std::pair{moat::dist::ArchiveKind::conda, "f-1.0-0.conda"}}) {
    std::map<std::string, std::string> kept;
    auto contents = moat::dist::read_archive_memory(
        bytes, name, kind, limits, [&](const moat::dist::EntryInfo& entry, std::string_view member, bool buffered) {
          if (!buffered) return;
          kept.emplace(entry.path, member);
          (void)moat::dist::scan_secrets(entry.path, member);
        });
    if (!contents) continue;
    if (kind == moat::dist::ArchiveKind::wheel) (void)moat::dist::check_wheel(*contents, kept, name, {});
    if (kind == moat::dist::ArchiveKind::sdist_tar) (void)moat::dist::check_sdist(*contents, kept, name, {});
    if (kind == moat::dist::ArchiveKind::conda) (void)moat::dist::check_conda(*contents, kept, name);
  }
  return 0;
}
