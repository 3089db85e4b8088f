// SPDX-License-Identifier: MPL-2.0
#include "util/random.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <vector>

namespace aarshjul {

std::string base64url(const unsigned char* data, std::size_t size) {
    std::string out(4 * ((size + 2) / 3) + 1, '\0');
    const int written =
        EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
    out.resize(static_cast<std::size_t>(written));
    while (!out.empty() && out.back() == '=')
        out.pop_back();
    for (char& c : out)
        c = c == '+' ? '-' : c == '/' ? '_' : c;
    return out;
}

Result<std::string> random_token(std::size_t bytes) {
    std::vector<unsigned char> raw(bytes);
    if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1)
        return make_error("could not draw random bytes from OpenSSL's RAND_bytes");
    return base64url(raw.data(), raw.size());
}

} // namespace aarshjul
