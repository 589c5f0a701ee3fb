#include "vivace/schema/types.hpp"

#include <cctype>
#include <cstdio>

#include <boost/url/parse.hpp>

namespace vivace {

namespace {
bool atext(char c) {  // RFC 5322 atom characters
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view{"!#$%&'*+-/=?^_`{|}~"}.find(c) != std::string_view::npos;
}
bool fail(std::string* why, const char* reason) {
  if (why)
    *why = reason;
  return false;
}
bool valid_local(std::string_view local, std::string* why) {
  if (local.empty())
    return fail(why, "There must be something before the @-sign.");
  if (local.size() > 64)
    return fail(why, "The email address is too long before the @-sign.");
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos)
    return fail(why, "The email address contains a period in an invalid position.");
  for (char c : local)
    if (c != '.' && !atext(c) && static_cast<unsigned char>(c) < 0x80)
      return fail(why, "The email address contains invalid characters before the @-sign.");
  return true;
}
bool valid_domain(std::string_view domain, std::string* why) {
  if (domain.empty())
    return fail(why, "There must be something after the @-sign.");
  if (domain.size() > 253)
    return fail(why, "The email address is too long after the @-sign.");
  if (domain.find('.') == std::string_view::npos)
    return fail(why, "The part after the @-sign is not valid. It should have a period.");
  std::size_t start = 0;
  for (;;) {
    auto dot = domain.find('.', start);
    auto label =
        domain.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
      return fail(why, "The part after the @-sign is not valid.");
    for (char c : label) {
      // An internationalised domain is not converted here (that is IDNA2008's UTS 46
      // mapping, which no library Vivace depends on does): its ASCII form is accepted.
      if (static_cast<unsigned char>(c) >= 0x80)
        return fail(why,
                    "The part after the @-sign contains non-ASCII characters. Write an "
                    "internationalised domain in its ASCII form (xn--...).");
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-')
        return fail(why, "The part after the @-sign contains invalid characters.");
    }
    if (dot == std::string_view::npos) {
      bool alpha = false;
      for (char c : label)
        if (!std::isdigit(static_cast<unsigned char>(c)))
          alpha = true;
      if (!alpha)
        return fail(
            why,
            "The part after the @-sign is not valid. It is not within a valid top-level domain.");
      return true;
    }
    start = dot + 1;
  }
}

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size())
    return false;
  out = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9')
      return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

std::optional<std::chrono::year_month_day> parse_ymd(std::string_view s) {
  int y, m, d;
  if (s.size() < 10 || !digits(s, 0, 4, y) || s[4] != '-' || !digits(s, 5, 2, m) || s[7] != '-' ||
      !digits(s, 8, 2, d))
    return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year{y},
                                  std::chrono::month{static_cast<unsigned>(m)},
                                  std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok())
    return std::nullopt;
  return ymd;
}
}  // namespace

std::optional<Email> Email::parse(std::string_view text, std::string* why) {
  auto at = text.rfind('@');
  if (at == std::string_view::npos || text.find('@') != at) {
    fail(why, "The email address is not valid. It must have exactly one @-sign.");
    return std::nullopt;
  }
  auto local = text.substr(0, at), domain = text.substr(at + 1);
  if (!valid_local(local, why) || !valid_domain(domain, why))
    return std::nullopt;
  std::string out{local};
  out += '@';
  for (char c : domain)
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return Email{std::move(out)};
}

std::optional<Url> Url::parse(std::string_view text, std::string* why) {
  // Only RFC 3986 characters reach Boost.URL: its 1.81 parser trips an internal assertion on
  // some inputs with other characters ("Hvtps:`", found by the fuzzer).
  static constexpr std::string_view allowed =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%";
  if (auto bad = text.find_first_not_of(allowed); bad != std::string_view::npos) {
    if (why)
      *why = "invalid character at position " + std::to_string(bad);
    return std::nullopt;
  }
  // An empty hierarchical part ("h-tps:?", "x:#f") is refused: 1.81 asserts on those too.
  if (auto colon = text.find(':'); colon != std::string_view::npos) {
    auto rest = text.substr(colon + 1);
    if (rest.empty() || rest.front() == '?' || rest.front() == '#') {
      if (why)
        *why = "nothing after the scheme";
      return std::nullopt;
    }
  }
  // '[' and ']' belong only in the host (an IP literal): 1.81 also asserts on "h00:[".
  {
    auto auth = text.find("://");
    std::size_t host_begin = auth == std::string_view::npos ? 0 : auth + 3;
    std::size_t host_end =
        auth == std::string_view::npos ? 0 : text.find_first_of("/?#", host_begin);
    if (host_end == std::string_view::npos)
      host_end = text.size();
    for (std::size_t i = 0; i < text.size(); ++i)
      if ((text[i] == '[' || text[i] == ']') && (i < host_begin || i >= host_end)) {
        if (why)
          *why = "'[' or ']' outside the host at position " + std::to_string(i);
        return std::nullopt;
      }
  }
  auto r = boost::urls::parse_uri(text);  // scheme required, fragment allowed
  if (!r) {
    if (why)
      *why = r.error().message();
    return std::nullopt;
  }
  if (r->has_authority() && r->host().empty() && r->scheme() != "file") {
    if (why)
      *why = "empty host";
    return std::nullopt;
  }
  return Url{std::string(text)};
}

std::optional<Date> Date::parse(std::string_view text) {
  if (text.size() != 10)
    return std::nullopt;
  auto ymd = parse_ymd(text);
  if (!ymd)
    return std::nullopt;
  return Date{*ymd};
}

std::string Date::to_string() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

std::optional<DateTime> DateTime::parse(std::string_view s) {
  auto ymd = parse_ymd(s);
  if (!ymd || s.size() < 19 || (s[10] != 'T' && s[10] != 't' && s[10] != ' '))
    return std::nullopt;
  int hh, mm, ss;
  if (!digits(s, 11, 2, hh) || s[13] != ':' || !digits(s, 14, 2, mm) || s[16] != ':' ||
      !digits(s, 17, 2, ss) || hh > 23 || mm > 59 || ss > 59)
    return std::nullopt;
  std::size_t pos = 19;
  std::int64_t micros = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    std::size_t start = pos, n = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (n < 6)
        micros = micros * 10 + (s[pos] - '0');
      ++n;
      ++pos;
    }
    if (pos == start)
      return std::nullopt;
    for (; n < 6; ++n)
      micros *= 10;
  }
  std::optional<int> offset;
  if (pos < s.size()) {
    if ((s[pos] == 'Z' || s[pos] == 'z') && pos + 1 == s.size()) {
      offset = 0;
    } else if ((s[pos] == '+' || s[pos] == '-') && pos + 6 == s.size() && s[pos + 3] == ':') {
      int oh, om;
      if (!digits(s, pos + 1, 2, oh) || !digits(s, pos + 4, 2, om) || oh > 23 || om > 59)
        return std::nullopt;
      offset = (s[pos] == '-' ? -1 : 1) * (oh * 60 + om);
    } else {
      return std::nullopt;
    }
  }
  using namespace std::chrono;
  auto local = sys_days{*ymd} + hours{hh} + minutes{mm} + seconds{ss} + microseconds{micros};
  return DateTime{time_point_cast<microseconds>(local - minutes{offset.value_or(0)}), offset};
}

DateTime DateTime::now() {
  return {std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now()),
          0};
}

namespace {
// `n` as exactly `width` decimal digits (0 <= n < 10^width).
void put_digits(char*& p, unsigned n, int width) {
  for (int i = width - 1; i >= 0; --i) {
    p[i] = static_cast<char>('0' + n % 10);
    n /= 10;
  }
  p += width;
}

// `to_string`'s text into `buf` (48 bytes); returns its end. Formatted by hand: it runs for
// every timestamp of every response (printf was a tenth of a one-row read's CPU).
char* format_date_time(const DateTime& t, char* buf) {
  using namespace std::chrono;
  auto local = t.utc + minutes{t.offset_minutes.value_or(0)};
  auto day = floor<days>(local);
  year_month_day ymd{day};
  hh_mm_ss tod{local - day};
  const int year = static_cast<int>(ymd.year());
  char* p = buf;
  if (year >= 0 && year <= 9999) {
    put_digits(p, static_cast<unsigned>(year), 4);
  } else {
    p += std::snprintf(buf, 16, "%04d", year);  // outside ISO 8601's four digits
  }
  *p++ = '-';
  put_digits(p, static_cast<unsigned>(ymd.month()), 2);
  *p++ = '-';
  put_digits(p, static_cast<unsigned>(ymd.day()), 2);
  *p++ = 'T';
  put_digits(p, static_cast<unsigned>(tod.hours().count()), 2);
  *p++ = ':';
  put_digits(p, static_cast<unsigned>(tod.minutes().count()), 2);
  *p++ = ':';
  put_digits(p, static_cast<unsigned>(tod.seconds().count()), 2);
  if (auto us = tod.subseconds().count(); us != 0) {
    *p++ = '.';
    put_digits(p, static_cast<unsigned>(us), 6);
  }
  if (t.offset_minutes) {
    const int off = *t.offset_minutes;
    if (off == 0) {
      *p++ = 'Z';
    } else {
      *p++ = off < 0 ? '-' : '+';
      put_digits(p, static_cast<unsigned>(std::abs(off) / 60), 2);
      *p++ = ':';
      put_digits(p, static_cast<unsigned>(std::abs(off) % 60), 2);
    }
  }
  return p;
}
}  // namespace

std::string DateTime::to_string() const {
  char buf[48];
  return std::string(buf, format_date_time(*this, buf));
}

void DateTime::append_text(std::string& out) const {
  char buf[48];
  out.append(buf, format_date_time(*this, buf));
}

}  // namespace vivace
