#include "moat/sign/gpg.hpp"

#include <gpgme.h>

#include <memory>

namespace moat::sign {

namespace {

struct ContextFree {
  void operator()(gpgme_ctx_t context) const { gpgme_release(context); }
};
struct DataFree {
  void operator()(gpgme_data_t data) const { gpgme_data_release(data); }
};
struct KeyFree {
  void operator()(gpgme_key_t key) const { gpgme_key_unref(key); }
};
using Context = std::unique_ptr<gpgme_context, ContextFree>;
using Data = std::unique_ptr<gpgme_data, DataFree>;
using Key = std::unique_ptr<_gpgme_key, KeyFree>;

std::string describe(gpgme_error_t error) { return gpgme_strerror(error); }

Result<Context> open_context(const std::string& home_dir) {
  static const bool initialised = gpgme_check_version(nullptr) != nullptr;
  if (!initialised) return fail("gpg", "GPGME could not be initialised");
  gpgme_ctx_t raw = nullptr;
  if (gpgme_error_t error = gpgme_new(&raw); error != 0) return fail("gpg", describe(error));
  Context context(raw);
  if (gpgme_error_t error = gpgme_set_protocol(raw, GPGME_PROTOCOL_OpenPGP); error != 0)
    return fail("gpg", describe(error));
  if (!home_dir.empty())
    if (gpgme_error_t error = gpgme_ctx_set_engine_info(raw, GPGME_PROTOCOL_OpenPGP, nullptr, home_dir.c_str());
        error != 0)
      return fail(home_dir, describe(error));
  // Never prompt: a key that needs a passphrase makes signing fail instead of hanging.
  gpgme_set_pinentry_mode(raw, GPGME_PINENTRY_MODE_LOOPBACK);
  return context;
}

Result<Data> memory_data(std::string_view bytes) {
  gpgme_data_t raw = nullptr;
  if (gpgme_error_t error = gpgme_data_new_from_mem(&raw, bytes.data(), bytes.size(), 0); error != 0)
    return fail("gpg", describe(error));
  return Data(raw);
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
  auto context = open_context(home_dir);
  if (!context) return std::unexpected(context.error());
  auto signature_data = memory_data(signature);
  auto signed_data = memory_data(data);
  if (!signature_data || !signed_data) return fail("gpg", "cannot buffer the input");
  if (gpgme_error_t error = gpgme_op_verify(context->get(), signature_data->get(), signed_data->get(), nullptr); error != 0)
    return fail("signature", describe(error));
  gpgme_verify_result_t result = gpgme_op_verify_result(context->get());
  std::vector<GpgSignature> signatures;
  for (gpgme_signature_t each = result != nullptr ? result->signatures : nullptr; each != nullptr; each = each->next) {
    GpgSignature signature_info;
    signature_info.verdict = verdict_of(each);
    signature_info.fingerprint = each->fpr != nullptr ? each->fpr : "";
    signature_info.created = static_cast<std::int64_t>(each->timestamp);
    signature_info.key_valid = (each->summary & GPGME_SIGSUM_VALID) != 0;
    if (signature_info.verdict != GpgVerdict::Good) signature_info.detail = describe(each->status);
    // A bad signature names only the key id; the keyring knows the full fingerprint.
    gpgme_key_t key = nullptr;
    if (!signature_info.fingerprint.empty() && signature_info.fingerprint.size() < 40 &&
        gpgme_get_key(context->get(), signature_info.fingerprint.c_str(), &key, 0) == 0) {
      Key owned(key);
      if (owned->fpr != nullptr) signature_info.fingerprint = owned->fpr;
    }
    signatures.push_back(std::move(signature_info));
  }
  if (signatures.empty()) return fail("signature", "no OpenPGP signature found");
  return signatures;
}

Result<GpgDetachedSignature> gpg_sign_detached(std::string_view data, const std::string& key_id,
                                               const std::string& home_dir) {
  auto context = open_context(home_dir);
  if (!context) return std::unexpected(context.error());
  gpgme_set_armor(context->get(), 1);
  if (!key_id.empty()) {
    gpgme_key_t key = nullptr;
    if (gpgme_error_t error = gpgme_get_key(context->get(), key_id.c_str(), &key, 1); error != 0)
      return fail(key_id, "no usable secret key: " + describe(error));
    Key owned(key);
    if (gpgme_error_t error = gpgme_signers_add(context->get(), owned.get()); error != 0)
      return fail(key_id, describe(error));
  }
  auto input = memory_data(data);
  gpgme_data_t raw_output = nullptr;
  if (!input || gpgme_data_new(&raw_output) != 0) return fail("gpg", "cannot buffer the input");
  Data output(raw_output);
  if (gpgme_error_t error = gpgme_op_sign(context->get(), input->get(), output.get(), GPGME_SIG_MODE_DETACH); error != 0)
    return fail("gpg", "signing failed: " + describe(error));
  gpgme_sign_result_t result = gpgme_op_sign_result(context->get());
  if (result == nullptr || result->signatures == nullptr || result->invalid_signers != nullptr)
    return fail("gpg", "signing failed: no valid signer");
  GpgDetachedSignature signature;
  signature.fingerprint = result->signatures->fpr != nullptr ? result->signatures->fpr : "";
  std::size_t length = 0;
  char* buffer = gpgme_data_release_and_get_mem(output.release(), &length);
  signature.armored.assign(buffer, length);
  gpgme_free(buffer);
  return signature;
}

}  // namespace moat::sign
