// SPDX-License-Identifier: MPL-2.0
#include "util/sha256.h"

#include <openssl/evp.h>

namespace aarshjul {

namespace {

const EVP_MD* sha256_algorithm() {
    static const EVP_MD* const fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return fetched ? fetched : EVP_sha256();
}

} // namespace

std::optional<Sha256Digest> sha256(std::string_view data) {
    Sha256Digest digest{};
    unsigned int length = 0;
    if (EVP_Digest(data.data(), data.size(), digest.data(), &length, sha256_algorithm(), nullptr) !=
            1 ||
        length != digest.size())
        return std::nullopt;
    return digest;
}

std::string sha256_hex(std::string_view data) {
    static constexpr char kHex[] = "0123456789abcdef";
    const auto digest = sha256(data);
    if (!digest)
        return {};
    std::string out(2 * digest->size(), '0');
    for (std::size_t i = 0; i < digest->size(); ++i) {
        out[2 * i] = kHex[(*digest)[i] >> 4];
        out[2 * i + 1] = kHex[(*digest)[i] & 0x0f];
    }
    return out;
}

} // namespace aarshjul
