#include "moat/sign/gpg.hpp"

#include <memory>

#include "moat/sign/gpgme_api.hpp"

namespace moat::sign {

namespace {

using Context = std::unique_ptr<gpgme_context, decltype(&gpgme_release)>;
using Data = std::unique_ptr<gpgme_data, decltype(&gpgme_data_release)>;
using Key = std::unique_ptr<_gpgme_key, decltype(&gpgme_key_unref)>;

/// A GPGME context (OpenPGP, never prompting) and the library it came from.
struct Session {
  const Gpgme& api;
  Context context;

  [[nodiscard]] std::string describe(gpgme_error_t error) const { return api.strerror(error); }

  Result<Data> memory_data(std::string_view bytes) const {
    gpgme_data_t raw = nullptr;
    if (gpgme_error_t error = api.data_new_from_mem(&raw, bytes.data(), bytes.size(), 0); error != 0)
      return fail("gpg", describe(error));
    return Data(raw, api.data_release);
  }
};

Result<Session> open_session(const std::string& home_dir) {
  auto loaded = load_gpgme();
  if (!loaded) return fail("gpg", loaded.error().to_string());
  const Gpgme& api = **loaded;
  gpgme_ctx_t raw = nullptr;
  if (gpgme_error_t error = api.new_context(&raw); error != 0) return fail("gpg", api.strerror(error));
  Session session{api, Context(raw, api.release)};
  if (gpgme_error_t error = api.set_protocol(raw, GPGME_PROTOCOL_OpenPGP); error != 0)
    return fail("gpg", session.describe(error));
  if (!home_dir.empty())
    if (gpgme_error_t error = api.ctx_set_engine_info(raw, GPGME_PROTOCOL_OpenPGP, nullptr, home_dir.c_str());
        error != 0)
      return fail(home_dir, session.describe(error));
  // Never prompt: a key that needs a passphrase makes signing fail instead of hanging.
  api.set_pinentry_mode(raw, GPGME_PINENTRY_MODE_LOOPBACK);
  return session;
}

GpgVerdict verdict_of(gpgme_signature_t signature) {
  if ((signature->summary & GPGME_SIGSUM_KEY_REVOKED) != 0) return GpgVerdict::RevokedKey;
  switch (gpgme_err_code(signature->status)) {
    case GPG_ERR_NO_ERROR: return GpgVerdict::Good;
    case GPG_ERR_BAD_SIGNATURE: return GpgVerdict::BadSignature;
    case GPG_ERR_KEY_EXPIRED: return GpgVerdict::ExpiredKey;
    case GPG_ERR_CERT_REVOKED: return GpgVerdict::RevokedKey;
    case GPG_ERR_NO_PUBKEY: return GpgVerdict::UnknownKey;
    case GPG_ERR_SIG_EXPIRED: return GpgVerdict::ExpiredSignature;
    default: return GpgVerdict::Error;
  }
}

}  // namespace

std::string_view to_string(GpgVerdict verdict) {
  switch (verdict) {
    case GpgVerdict::Good: return "good signature";
    case GpgVerdict::BadSignature: return "bad signature";
    case GpgVerdict::ExpiredKey: return "expired key";
    case GpgVerdict::RevokedKey: return "revoked key";
    case GpgVerdict::UnknownKey: return "unknown key";
    case GpgVerdict::ExpiredSignature: return "expired signature";
    case GpgVerdict::Error: return "signature error";
  }
  return "signature error";
}

Result<std::vector<GpgSignature>> gpg_verify_detached(std::string_view data, std::string_view signature,
                                                      const std::string& home_dir) {
  auto session = open_session(home_dir);
  if (!session) return std::unexpected(session.error());
  const Gpgme& api = session->api;
  gpgme_ctx_t context = session->context.get();
  auto signature_data = session->memory_data(signature);
  auto signed_data = session->memory_data(data);
  if (!signature_data || !signed_data) return fail("gpg", "cannot buffer the input");
  if (gpgme_error_t error = api.op_verify(context, signature_data->get(), signed_data->get(), nullptr); error != 0)
    return fail("signature", session->describe(error));
  gpgme_verify_result_t result = api.op_verify_result(context);
  std::vector<GpgSignature> signatures;
  for (gpgme_signature_t each = result != nullptr ? result->signatures : nullptr; each != nullptr; each = each->next) {
    GpgSignature signature_info;
    signature_info.verdict = verdict_of(each);
    signature_info.fingerprint = each->fpr != nullptr ? each->fpr : "";
    signature_info.created = static_cast<std::int64_t>(each->timestamp);
    signature_info.key_valid = (each->summary & GPGME_SIGSUM_VALID) != 0;
    if (signature_info.verdict != GpgVerdict::Good) signature_info.detail = session->describe(each->status);
    // A bad signature names only the key id; the keyring knows the full fingerprint.
    gpgme_key_t key = nullptr;
    if (!signature_info.fingerprint.empty() && signature_info.fingerprint.size() < 40 &&
        api.get_key(context, signature_info.fingerprint.c_str(), &key, 0) == 0) {
      const Key owned(key, api.key_unref);
      if (owned->fpr != nullptr) signature_info.fingerprint = owned->fpr;
    }
    signatures.push_back(std::move(signature_info));
  }
  if (signatures.empty()) return fail("signature", "no OpenPGP signature found");
  return signatures;
}

Result<GpgDetachedSignature> gpg_sign_detached(std::string_view data, const std::string& key_id,
                                               const std::string& home_dir) {
  auto session = open_session(home_dir);
  if (!session) return std::unexpected(session.error());
  const Gpgme& api = session->api;
  gpgme_ctx_t context = session->context.get();
  api.set_armor(context, 1);
  if (!key_id.empty()) {
    gpgme_key_t key = nullptr;
    if (gpgme_error_t error = api.get_key(context, key_id.c_str(), &key, 1); error != 0)
      return fail(key_id, "no usable secret key: " + session->describe(error));
    const Key owned(key, api.key_unref);
    if (gpgme_error_t error = api.signers_add(context, owned.get()); error != 0)
      return fail(key_id, session->describe(error));
  }
  auto input = session->memory_data(data);
  gpgme_data_t raw_output = nullptr;
  if (!input || api.data_new(&raw_output) != 0) return fail("gpg", "cannot buffer the input");
  Data output(raw_output, api.data_release);
  if (gpgme_error_t error = api.op_sign(context, input->get(), output.get(), GPGME_SIG_MODE_DETACH); error != 0)
    return fail("gpg", "signing failed: " + session->describe(error));
  gpgme_sign_result_t result = api.op_sign_result(context);
  if (result == nullptr || result->signatures == nullptr || result->invalid_signers != nullptr)
    return fail("gpg", "signing failed: no valid signer");
  GpgDetachedSignature signature;
  signature.fingerprint = result->signatures->fpr != nullptr ? result->signatures->fpr : "";
  std::size_t length = 0;
  char* buffer = api.data_release_and_get_mem(output.release(), &length);
  signature.armored.assign(buffer, length);
  api.free(buffer);
  return signature;
}

}  // namespace moat::sign
