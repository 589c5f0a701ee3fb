#include "core/clock.hpp"

#include <cstdio>

namespace blog {

sys_us now() {
  return std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now());
}

std::string db_time(sys_us t) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{t - day};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02lldZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long>(hms.hours().count()), static_cast<long>(hms.minutes().count()),
                static_cast<long long>(hms.seconds().count()));
  std::string out(buf);
  char frac[16];
  std::snprintf(frac, sizeof frac, ".%06lld", static_cast<long long>(hms.subseconds().count()));
  out.insert(out.size() - 1, frac);
  return out;
}

}  // namespace blog
