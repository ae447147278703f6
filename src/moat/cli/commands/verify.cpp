// moat verify: integrity and provenance checks. Exit 0 verified, 1 not verified (the reason on
// stderr, first line), 2 usage or input error. Nothing is called verified unless fully checked.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "moat/cli/command.hpp"
#include "moat/dist/conda.hpp"
#include "moat/dist/wheel.hpp"
#include "moat/sign/attestation.hpp"
#include "moat/sign/bundle.hpp"
#include "moat/sign/crypto.hpp"
#include "moat/sign/gpg.hpp"
#include "moat/sign/hash_pins.hpp"
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

struct AttestationOptions {
  std::string distribution;
  std::vector<std::string> attestations;
  std::string provenance;
  std::string publisher;
  std::string identity;
  std::string issuer;
  TrustOptions trust;
};

/// Does the provenance's publisher agree with the one the user expects?
bool same_publisher(const sign::Publisher& claimed, const sign::Publisher& expected) {
  if (claimed.kind != expected.kind) return false;
  if (expected.kind == sign::Publisher::Kind::Google) return claimed.email == expected.email;
  return claimed.repository == expected.repository && (expected.workflow.empty() || claimed.workflow == expected.workflow);
}

int run_attestation(const AttestationOptions& options) {
  if (!options.attestations.empty() && !options.provenance.empty())
    return input_error("attestation: --attestation and --provenance exclude each other");
  if (!options.publisher.empty() && !options.identity.empty())
    return input_error("attestation: --publisher and --identity exclude each other");
  if (options.identity.empty() != options.issuer.empty())
    return input_error("attestation: --identity and --issuer go together");
  std::optional<sign::Publisher> expected;
  if (!options.publisher.empty()) {
    auto parsed = sign::parse_publisher_spec(options.publisher);
    if (!parsed) return input_error(parsed.error().to_string());
    expected = *parsed;
  }
  sign::IdentityCheck user_policy;
  if (expected) user_policy = sign::publisher_policy(*expected);
  if (!options.identity.empty()) user_policy = sign::identity_is(options.identity, options.issuer);

  auto bytes = read_file(options.distribution);
  if (!bytes) return input_error(bytes.error().to_string());
  const sign::Artifact artifact = sign::artifact_from_bytes(std::move(*bytes));
  const std::string file_name = fs::path(options.distribution).filename().string();
  auto root = options.trust.load();
  if (!root) return input_error(root.error().to_string());

  // (attestation JSON, where it came from, the policy it must meet)
  struct Work {
    std::string json;
    std::string source;
    sign::IdentityCheck policy;
  };
  std::vector<Work> work;
  if (!options.provenance.empty()) {
    auto text = read_file(options.provenance);
    if (!text) return input_error(text.error().to_string());
    auto bundles = sign::parse_provenance(*text);
    if (!bundles) return input_error(options.provenance + ": " + bundles.error().to_string());
    for (const auto& bundle : *bundles) {
      if (!bundle.publisher)
        return not_verified(options.distribution,
                            Error{"publisher", bundle.publisher_description + " has no attestation identity"});
      if (expected && !same_publisher(*bundle.publisher, *expected))
        return not_verified(options.distribution, Error{"publisher", "the provenance names " + bundle.publisher_description +
                                                                         ", not " + expected->describe()});
      for (const auto& attestation : bundle.attestations)
        work.push_back({attestation, options.provenance, user_policy ? user_policy : sign::publisher_policy(*bundle.publisher)});
    }
  } else {
    if (!user_policy) return input_error("attestation: give --publisher (or --identity and --issuer), or --provenance");
    std::vector<std::string> paths = options.attestations;
    if (paths.empty())
      for (const char* suffix : {".publish.attestation", ".slsa.attestation"})
        if (fs::exists(options.distribution + suffix)) paths.push_back(options.distribution + suffix);
    if (paths.empty()) return input_error(options.distribution + ": no --attestation and no .publish.attestation beside it");
    for (const auto& path : paths) {
      auto text = read_file(path);
      if (!text) return input_error(text.error().to_string());
      work.push_back({std::move(*text), path, user_policy});
    }
  }
  if (work.empty()) return not_verified(options.distribution, Error{"provenance", "it holds no attestations"});

  std::vector<std::string> predicates;
  for (const Work& item : work) {
    sign::Policy policy;
    policy.identity = item.policy;
    auto verified = sign::verify_attestation(item.json, file_name, artifact, *root, policy);
    if (!verified) {
      Error error = verified.error();
      error.message += " (" + item.source + ")";
      return not_verified(options.distribution, error);
    }
    if (std::find(predicates.begin(), predicates.end(), verified->predicate_type) != predicates.end())
      return not_verified(options.distribution,
                          Error{"provenance", "two attestations with predicate " + verified->predicate_type});
    predicates.push_back(verified->predicate_type);
    print_verified(options.distribution, verified->bundle);
    std::printf("  predicate: %s\n  attestation: %s\n", verified->predicate_type.c_str(), item.source.c_str());
  }
  return kExitClean;
}

struct GpgOptions {
  std::string file;
  std::string signature;
  std::string keyring;
  std::string fingerprint;
};

std::string normalize_fingerprint(std::string text) {
  std::erase(text, ' ');
  if (text.starts_with("0x") || text.starts_with("0X")) text.erase(0, 2);
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

int run_gpg(const GpgOptions& options) {
  const std::string signature_path = options.signature.empty() ? options.file + ".asc" : options.signature;
  auto data = read_file(options.file);
  if (!data) return input_error(data.error().to_string());
  auto signature = read_file(signature_path);
  if (!signature) return input_error(signature.error().to_string());
  auto signatures = sign::gpg_verify_detached(*data, *signature, options.keyring);
  if (!signatures) return input_error(signature_path + ": " + signatures.error().message);
  const std::string pinned = normalize_fingerprint(options.fingerprint);
  // Every signature must be good, and each key vouched for by a pin or by the keyring's trust.
  for (const auto& each : *signatures) {
    const std::string verdict(sign::to_string(each.verdict));
    if (each.verdict != sign::GpgVerdict::Good)
      return not_verified(options.file, Error{verdict, "key " + each.fingerprint + (each.detail.empty() ? "" : " (" + each.detail + ")")});
    if (!pinned.empty() && normalize_fingerprint(each.fingerprint) != pinned)
      return not_verified(options.file, Error{"fingerprint", "signed by " + each.fingerprint + ", not the pinned " + pinned});
    if (pinned.empty() && !each.key_valid)
      return not_verified(options.file, Error{"untrusted key", "good signature by " + each.fingerprint +
                                                                   ", but the keyring does not vouch for the key; pin it with --fingerprint"});
  }
  std::printf("verified: %s\n", options.file.c_str());
  for (const auto& each : *signatures)
    std::printf("  good signature by %s (made %s)\n", each.fingerprint.c_str(), sign::format_utc(each.created).c_str());
  return kExitClean;
}

struct HashesOptions {
  std::string requirements;
  std::string dist;
};

int run_hashes(const HashesOptions& options) {
  auto pins = sign::read_hash_pins(options.requirements);
  if (!pins) return input_error(pins.error().to_string());
  auto check = sign::check_hash_pins(*pins, options.dist);
  if (!check) return input_error(check.error().to_string());
  for (const auto& file : check->verified) std::printf("ok: %s\n", file.c_str());
  if (!check->problems.empty()) {
    for (std::size_t index = 0; index < check->problems.size(); ++index)
      std::fprintf(stderr, "%s%s\n", index == 0 ? "not verified: " : "  ", check->problems[index].to_string().c_str());
    return kExitFindings;
  }
  if (check->verified.empty()) return not_verified(options.dist, Error{"hashes", "no distribution files to check"});
  std::printf("verified: %zu files against %s\n", check->verified.size(), options.requirements.c_str());
  return kExitClean;
}

// Prints each problem (the first behind "not verified: ") and returns the verification exit code.
template <typename Verification>
int report_archive_verification(const std::string& artifact, const Verification& verification,
                                std::size_t listed_files, const char* what) {
  if (!verification.ok()) {
    for (std::size_t index = 0; index < verification.problems.size(); ++index) {
      const auto& problem = verification.problems[index];
      std::fprintf(stderr, "%s%s: %s: %s\n", index == 0 ? "not verified: " : "  ", artifact.c_str(),
                   problem.path.c_str(), problem.message.c_str());
    }
    return kExitFindings;
  }
  // Files were listed but none could be hashed: nothing was really checked.
  if (verification.verified == 0 && listed_files > 0)
    return not_verified(artifact, Error{what, "no files were checked"});
  std::printf("verified: %s: %zu files match %s\n", artifact.c_str(), verification.verified, what);
  return kExitClean;
}

int run_record(const std::string& wheel) {
  auto verification = dist::verify_wheel_record(wheel);
  if (!verification) return input_error(verification.error().to_string());
  return report_archive_verification(wheel, *verification, verification->rows, "RECORD");
}

int run_conda(const std::string& package) {
  auto verification = dist::verify_conda_package(package);
  if (!verification) return input_error(verification.error().to_string());
  return report_archive_verification(package, *verification, verification->listed, "info/paths.json");
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

  auto attestation = std::make_shared<AttestationOptions>();
  CLI::App* attestation_command =
      command.add_subcommand("attestation", "Verify PEP 740 attestations or PyPI provenance for a distribution");
  attestation_command->add_option("distribution", attestation->distribution, "the wheel or sdist")->required();
  attestation_command->add_option("--attestation", attestation->attestations,
                                  "attestation file(s) (default DIST.publish.attestation, DIST.slsa.attestation)");
  attestation_command->add_option("--provenance", attestation->provenance, "PyPI Integrity API provenance object");
  attestation_command->add_option("--publisher", attestation->publisher,
                                  "github:OWNER/REPO[/WORKFLOW.yml], gitlab:NS/PROJ[/PATH], google:EMAIL");
  attestation_command->add_option("--identity", attestation->identity, "expected certificate identity (SAN), exact");
  attestation_command->add_option("--issuer", attestation->issuer, "expected OIDC issuer, exact");
  attestation->trust.add_to(*attestation_command);
  attestation_command->callback([attestation, &run] { run = [attestation] { return run_attestation(*attestation); }; });

  auto gpg = std::make_shared<GpgOptions>();
  CLI::App* gpg_command = command.add_subcommand("gpg", "Verify a detached OpenPGP signature through GPGME");
  gpg_command->add_option("file", gpg->file, "the signed file")->required();
  gpg_command->add_option("--signature", gpg->signature, "the detached signature (default FILE.asc)");
  gpg_command->add_option("--keyring", gpg->keyring, "GnuPG home directory to use (default $GNUPGHOME, ~/.gnupg)");
  gpg_command->add_option("--fingerprint", gpg->fingerprint, "require this signing key (full fingerprint)");
  gpg_command->callback([gpg, &run] { run = [gpg] { return run_gpg(*gpg); }; });

  auto hashes = std::make_shared<HashesOptions>();
  CLI::App* hashes_command =
      command.add_subcommand("hashes", "Check distribution files against --hash pins (pip --require-hashes)");
  hashes_command->add_option("requirements", hashes->requirements, "requirements file with --hash options")->required();
  hashes_command->add_option("--dist", hashes->dist, "directory of distribution files")->required();
  hashes_command->callback([hashes, &run] { run = [hashes] { return run_hashes(*hashes); }; });

  auto wheel = std::make_shared<std::string>();
  CLI::App* record_command = command.add_subcommand("record", "Check a wheel's RECORD: every file, hash and size");
  record_command->add_option("wheel", *wheel, "the wheel")->required();
  record_command->callback([wheel, &run] { run = [wheel] { return run_record(*wheel); }; });

  auto package = std::make_shared<std::string>();
  CLI::App* conda_command =
      command.add_subcommand("conda", "Check a conda package's files against its info/paths.json");
  conda_command->add_option("package", *package, "the .conda or .tar.bz2 package")->required();
  conda_command->callback([package, &run] { run = [package] { return run_conda(*package); }; });
}

}  // namespace moat::cli
