// password_bench: the time one password hash (and one verification) takes at Vivace's default
// scrypt cost (N = 2^17, r = 8, p = 1), and at two other costs for comparison. Median of
// `--rounds` (default 7). The time is the point of the function: it is what an attacker pays
// per guess, and what a login costs the server's worker pool.
//
// usage: password_bench [--rounds N]

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

#include <vivace/security/password.hpp>

int main(int argc, char** argv) {
  int rounds = 7;
  if (argc == 3 && std::string_view(argv[1]) == "--rounds")
    rounds = std::max(1, std::atoi(argv[2]));
  std::printf("| scrypt cost | memory | hash, ms (median) | verify, ms (median) |\n");
  std::printf("|---|---|---|---|\n");
  for (unsigned ln : {15u, 16u, 17u}) {
    vivace::password::Params p;
    p.log2_n = ln;
    std::vector<double> hash_ms, verify_ms;
    std::string stored;
    for (int i = 0; i < rounds; ++i) {
      auto t0 = std::chrono::steady_clock::now();
      stored = vivace::password::hash("correct horse battery staple", p);
      auto t1 = std::chrono::steady_clock::now();
      if (!vivace::password::verify("correct horse battery staple", stored))
        return 1;
      auto t2 = std::chrono::steady_clock::now();
      hash_ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
      verify_ms.push_back(std::chrono::duration<double, std::milli>(t2 - t1).count());
    }
    std::sort(hash_ms.begin(), hash_ms.end());
    std::sort(verify_ms.begin(), verify_ms.end());
    std::printf("| N=2^%u, r=8, p=1%s | %u MiB | %.0f | %.0f |\n", ln, ln == 17 ? " (default)" : "",
                (128u << ln) * 8u >> 20, hash_ms[hash_ms.size() / 2],
                verify_ms[verify_ms.size() / 2]);
  }
}
