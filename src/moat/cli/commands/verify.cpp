// moat verify: integrity and provenance checks. Exit 0 verified, 1 not verified (the reason on
// stderr, first line), 2 usage or input error. Nothing is called verified unless fully checked.
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "moat/cli/command.hpp"
#include "moat/sign/bundle.hpp"
#include "moat/sign/crypto.hpp"
#include "moat/sign/trusted_root.hpp"
#include "moat/sign/verifier.hpp"
#include "moat/util/file.hpp"

namespace moat::cli {

namespace {

namespace fs = std::filesystem;

int input_error(const std::string& message) {
  std::fprintf(stderr, "moat verify: %s\n", message.c_str());
  return kExitFailure;
}

int not_verified(const std::string& what, const Error& error) {
  std::fprintf(stderr, "not verified: %s: %s\n", what.c_str(), error.to_string().c_str());
  return kExitFindings;
}

/// Options every Sigstore-based verification shares.
struct TrustOptions {
  std::string trusted_root_path;
  bool staging = false;

  void add_to(CLI::App& command) {
    command.add_option("--trusted-root", trusted_root_path, "trusted_root.json to use instead of the embedded production root");
    command.add_flag("--staging", staging, "use the embedded Sigstore staging root");
  }

  [[nodiscard]] Result<sign::TrustedRoot> load() const {
    if (!trusted_root_path.empty()) {
      auto text = read_file(trusted_root_path);
      if (!text) return std::unexpected(text.error());
      auto root = sign::parse_trusted_root(*text);
      if (!root) return fail(trusted_root_path, root.error().to_string());
      return root;
    }
    return staging ? sign::staging_trusted_root() : sign::production_trusted_root();
  }
};

/// ARTIFACT is a file, or `sha256:HEX` when only the digest is known.
Result<sign::Artifact> load_artifact(const std::string& argument) {
  if (argument.starts_with("sha256:")) {
    auto digest = sign::hex_decode(argument.substr(7));
    if (!digest || digest->size() != 32) return fail(argument, "not a sha256 digest (64 hex digits)");
    sign::Artifact artifact;
    std::copy(digest->begin(), digest->end(), artifact.digest.begin());
    return artifact;
  }
  auto bytes = read_file(argument);
  if (!bytes) return std::unexpected(bytes.error());
  return sign::artifact_from_bytes(std::move(*bytes));
}

void print_verified(const std::string& what, const sign::VerifiedBundle& verified) {
  std::printf("verified: %s\n", what.c_str());
  if (verified.identity) {
    std::printf("  identity: %s\n  issuer: %s\n", verified.identity->san.c_str(), verified.identity->issuer.c_str());
  }
  for (std::int64_t time : verified.signing_times) std::printf("  signed at: %s\n", sign::format_utc(time).c_str());
  std::printf("  log entry: %s index %lld (%s)\n", verified.log_url.c_str(), static_cast<long long>(verified.log_index),
              verified.entry_kind.c_str());
}

struct SigstoreOptions {
  std::string artifact;
  std::string bundle;
  std::string identity;
  std::string issuer;
  std::string key;
  TrustOptions trust;
};

int run_sigstore(const SigstoreOptions& options) {
  if (options.key.empty() && (options.identity.empty() || options.issuer.empty()))
    return input_error("sigstore: give --identity and --issuer, or --key");
  if (!options.key.empty() && !options.identity.empty())
    return input_error("sigstore: --key and --identity exclude each other");
  auto artifact = load_artifact(options.artifact);
  if (!artifact) return input_error(artifact.error().to_string());
  std::string bundle_path = options.bundle;
  if (bundle_path.empty()) {
    for (const char* suffix : {".sigstore.json", ".sigstore"})
      if (fs::exists(options.artifact + suffix)) {
        bundle_path = options.artifact + suffix;
        break;
      }
    if (bundle_path.empty()) return input_error(options.artifact + ": no --bundle and no .sigstore.json beside it");
  }
  auto bundle_text = read_file(bundle_path);
  if (!bundle_text) return input_error(bundle_text.error().to_string());
  if (!nlohmann::json::accept(*bundle_text)) return input_error(bundle_path + ": not JSON");
  auto root = options.trust.load();
  if (!root) return input_error(root.error().to_string());

  sign::Policy policy;
  if (!options.key.empty()) {
    auto key_text = read_file(options.key);
    if (!key_text) return input_error(key_text.error().to_string());
    auto key = sign::parse_public_key(*key_text);
    if (!key) return input_error(options.key + ": " + key.error().message);
    policy.key = *key;
  } else {
    policy.identity = sign::identity_is(options.identity, options.issuer);
  }
  auto bundle = sign::parse_bundle(*bundle_text);
  if (!bundle) return not_verified(options.artifact, Error{"bundle", bundle_path + ": " + bundle.error().message});
  auto verified = sign::verify_bundle(*bundle, *artifact, *root, policy);
  if (!verified) return not_verified(options.artifact, verified.error());
  print_verified(options.artifact, *verified);
  return kExitClean;
}

void not_built_here(CLI::App& parent, const char* name, const char* summary, CommandRunner& run) {
  CLI::App* command = parent.add_subcommand(name, summary);
  command->allow_extras();
  command->callback([&run, name] {
    const std::string label = name;
    run = [label] {
      std::fprintf(stderr, "moat verify %s: not built yet (tracked in issue 8)\n", label.c_str());
      return static_cast<int>(kExitFailure);
    };
  });
}

}  // namespace

void configure_verify_command(CLI::App& command, CommandRunner& run) {
  command.require_subcommand(1);

  auto sigstore = std::make_shared<SigstoreOptions>();
  CLI::App* sigstore_command = command.add_subcommand("sigstore", "Verify a Sigstore bundle (v0.1-v0.3) offline");
  sigstore_command->add_option("artifact", sigstore->artifact, "the signed file, or sha256:HEX")->required();
  sigstore_command->add_option("--bundle", sigstore->bundle, "the bundle (default ARTIFACT.sigstore.json, ARTIFACT.sigstore)");
  sigstore_command->add_option("--identity", sigstore->identity, "expected certificate identity (SAN), exact");
  sigstore_command->add_option("--issuer", sigstore->issuer, "expected OIDC issuer, exact");
  sigstore_command->add_option("--key", sigstore->key, "PEM public key for managed-key bundles");
  sigstore->trust.add_to(*sigstore_command);
  sigstore_command->callback([sigstore, &run] { run = [sigstore] { return run_sigstore(*sigstore); }; });

  not_built_here(command, "record", "Check a wheel's RECORD hashes", run);
  not_built_here(command, "conda", "Check a conda package against its paths.json", run);
}

}  // namespace moat::cli
