// moat sign: armored detached GPG signatures (FILE.asc, as twine and gpg --detach-sign -a make them)
// and a SHA256SUMS file, itself signed. Exit 0 all signed, 2 on any failure.
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "moat/cli/command.hpp"
#include "moat/sign/crypto.hpp"
#include "moat/sign/gpg.hpp"
#include "moat/util/file.hpp"

namespace moat::cli {

namespace {

namespace fs = std::filesystem;

struct SignOptions {
  std::vector<std::string> files;
  std::string key;
  std::string homedir;
  std::string sums;
  bool no_sums = false;
};

int sign_failure(const Error& error) {
  std::fprintf(stderr, "moat sign: %s\n", error.to_string().c_str());
  return kExitFailure;
}

Result<std::string> sign_to(const fs::path& target, std::string_view data, const SignOptions& options) {
  auto signature = sign::gpg_sign_detached(data, options.key, options.homedir);
  if (!signature) return std::unexpected(signature.error());
  if (auto written = write_file_atomically(target, signature->armored); !written) return std::unexpected(written.error());
  return signature->fingerprint;
}

int run_sign(const SignOptions& options) {
  const fs::path sums_path =
      options.sums.empty() ? fs::path(options.files.front()).parent_path() / "SHA256SUMS" : fs::path(options.sums);
  const fs::path sums_dir = sums_path.parent_path().empty() ? fs::path(".") : sums_path.parent_path();
  std::string sums;
  for (const std::string& file : options.files) {
    auto data = read_file(file);
    if (!data) return sign_failure(data.error());
    auto fingerprint = sign_to(file + ".asc", *data, options);
    if (!fingerprint) return sign_failure(Error{file, fingerprint.error().to_string()});
    std::printf("signed: %s -> %s.asc (key %s)\n", file.c_str(), file.c_str(), fingerprint->c_str());
    // sha256sum's format, names relative to the sums file so `sha256sum -c` works beside it.
    const std::string relative = fs::absolute(file).lexically_relative(fs::absolute(sums_dir)).generic_string();
    sums += sign::hex_encode(sign::as_bytes(sign::sha256(*data))) + "  " + relative + "\n";
  }
  if (options.no_sums) return kExitClean;
  if (auto written = write_file_atomically(sums_path, sums); !written) return sign_failure(written.error());
  auto fingerprint = sign_to(sums_path.string() + ".asc", sums, options);
  if (!fingerprint) return sign_failure(Error{sums_path.string(), fingerprint.error().to_string()});
  std::printf("wrote: %s and %s.asc\n", sums_path.c_str(), sums_path.c_str());
  return kExitClean;
}

}  // namespace

void configure_sign_command(CLI::App& command, CommandRunner& run) {
  auto options = std::make_shared<SignOptions>();
  command.add_option("files", options->files, "files to sign")->required();
  command.add_option("--key", options->key, "signing key (id, fingerprint or user id; default: gpg's default key)");
  command.add_option("--homedir", options->homedir, "GnuPG home directory (default $GNUPGHOME, ~/.gnupg)");
  command.add_option("--sums", options->sums, "where to write SHA256SUMS (default: beside the first file)");
  command.add_flag("--no-sums", options->no_sums, "do not write SHA256SUMS");
  command.callback([options, &run] { run = [options] { return run_sign(*options); }; });
}

}  // namespace moat::cli
