#pragma once
// GPGME, loaded at run time by `moat sign` and `moat verify gpg` instead of being linked: with
// libassuan and libgpg-error it cost every other command start-up time for nothing. Types,
// constants and GPGME's inline helpers (gpgme_err_code) come from its own header; only the
// exported functions go through here. moat/util/shared_library.hpp says why.
#include <gpgme.h>

#include "moat/util/error.hpp"

namespace moat::sign {

/// The soname of the GPGME moat is built against (Debian's libgpgme11).
inline constexpr const char* kGpgmeSoname = "libgpgme.so.11";

/// The GPGME functions moat calls, named without their `gpgme_` prefix.
struct Gpgme {
  decltype(&gpgme_new) new_context = nullptr;
  decltype(&gpgme_release) release = nullptr;
  decltype(&gpgme_set_protocol) set_protocol = nullptr;
  decltype(&gpgme_ctx_set_engine_info) ctx_set_engine_info = nullptr;
  decltype(&gpgme_set_pinentry_mode) set_pinentry_mode = nullptr;
  decltype(&gpgme_set_armor) set_armor = nullptr;
  decltype(&gpgme_strerror) strerror = nullptr;
  decltype(&gpgme_data_new) data_new = nullptr;
  decltype(&gpgme_data_new_from_mem) data_new_from_mem = nullptr;
  decltype(&gpgme_data_release) data_release = nullptr;
  decltype(&gpgme_data_release_and_get_mem) data_release_and_get_mem = nullptr;
  decltype(&gpgme_free) free = nullptr;
  decltype(&gpgme_get_key) get_key = nullptr;
  decltype(&gpgme_key_unref) key_unref = nullptr;
  decltype(&gpgme_signers_add) signers_add = nullptr;
  decltype(&gpgme_op_verify) op_verify = nullptr;
  decltype(&gpgme_op_verify_result) op_verify_result = nullptr;
  decltype(&gpgme_op_sign) op_sign = nullptr;
  decltype(&gpgme_op_sign_result) op_sign_result = nullptr;
};

/// The process-wide GPGME, loaded and initialised (gpgme_check_version) on the first call,
/// thread-safely, or why it cannot be used: "cannot load libgpgme.so.11: ...".
Result<const Gpgme*> load_gpgme();

}  // namespace moat::sign
