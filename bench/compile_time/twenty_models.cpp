// A user's translation unit with twenty described models: what the schema layer's compile-time
// cost is measured on (bench/compile_time.sh). Every model is decoded from JSON text, encoded
// and given its JSON Schema, so that every codec template is instantiated. Also built as part
// of the bench preset (bench/CMakeLists.txt), so it keeps compiling.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/describe.hpp>
#include <vivace/schema.hpp>

namespace shop {

using vivace::Date;
using vivace::DateTime;
using vivace::Email;
using vivace::ge;
using vivace::gt;
using vivace::Int;
using vivace::le;
using vivace::List;
using vivace::max_items;
using vivace::max_len;
using vivace::min_items;
using vivace::min_len;
using vivace::one_of;
using vivace::Patch;
using vivace::pattern;
using vivace::Str;
using vivace::unique_items;
using vivace::Url;
using vivace::Uuid;
using Name = Str<min_len<1>, max_len<100>>;

enum class OrderStatus { pending, paid, shipped, delivered, cancelled };
BOOST_DESCRIBE_ENUM(OrderStatus, pending, paid, shipped, delivered, cancelled)
enum class Category { books, music, games, garden, kitchen };
BOOST_DESCRIBE_ENUM(Category, books, music, games, garden, kitchen)
enum class Role { customer, staff, admin };
BOOST_DESCRIBE_ENUM(Role, customer, staff, admin)
enum class Carrier { dhl, ups, fedex, post };
BOOST_DESCRIBE_ENUM(Carrier, dhl, ups, fedex, post)
enum class Frequency { never, daily, weekly };
BOOST_DESCRIBE_ENUM(Frequency, never, daily, weekly)

struct Address {
  Str<min_len<1>, max_len<100>> street;
  Name city;
  Str<pattern<"^[0-9A-Z -]{3,10}$">> postal_code;
  Str<one_of<"DE", "FR", "GB", "US">> country;
};
BOOST_DESCRIBE_STRUCT(Address, (), (street, city, postal_code, country))

struct Customer {
  Uuid id;
  Email email;
  Name name;
  std::vector<Address> addresses;
  std::optional<Date> born;
};
BOOST_DESCRIBE_STRUCT(Customer, (), (id, email, name, addresses, born))

struct Money {
  vivace::Float<ge<0>> amount;
  Str<pattern<"^[A-Z]{3}$">> currency;
};
BOOST_DESCRIBE_STRUCT(Money, (), (amount, currency))

struct OrderLine {
  Str<pattern<"^[A-Z]{2}-[0-9]+$">> sku;
  Int<ge<1>, le<1000>> quantity;
  Money unit_price;
};
BOOST_DESCRIBE_STRUCT(OrderLine, (), (sku, quantity, unit_price))

struct Order {
  Int<ge<1>> id;
  Customer customer;
  List<OrderLine, min_items<1>, max_items<100>> lines;
  OrderStatus status = OrderStatus::pending;
  DateTime created_at;
  std::optional<Str<max_len<500>>> note;
};
BOOST_DESCRIBE_STRUCT(Order, (), (id, customer, lines, status, created_at, note))

struct OrderUpdate {
  Patch<OrderStatus> status;
  Patch<Str<max_len<500>>> note;
  Patch<Address> shipping;
};
BOOST_DESCRIBE_STRUCT(OrderUpdate, (), (status, note, shipping))

struct Product {
  Str<min_len<2>, max_len<120>> name;
  std::optional<Str<max_len<5000>>> description;
  Money price;
  List<std::string, max_items<20>, unique_items> tags;
  Category category = Category::books;
  bool in_stock = true;
  std::map<std::string, std::string> attributes;
};
BOOST_DESCRIBE_STRUCT(Product, (), (name, description, price, tags, category, in_stock, attributes))

inline vivace::schema::model_options vivace_model(const Product*) {
  return {.description = "Something to sell",
          .fields = {{"tags", {.has_default = true}},
                     {"in_stock", {.description = "Can be ordered now", .has_default = true}},
                     {"attributes", {.has_default = true}}}};
}

struct ProductPatch {
  Patch<Str<min_len<2>, max_len<120>>> name;
  Patch<Str<max_len<5000>>> description;
  Patch<Money> price;
  Patch<Category> category;
  Patch<bool> in_stock;
};
BOOST_DESCRIBE_STRUCT(ProductPatch, (), (name, description, price, category, in_stock))

struct Review {
  Int<ge<1>> product_id;
  Int<ge<1>, le<5>> rating;
  Str<min_len<3>, max_len<80>> title;
  std::optional<Str<max_len<2000>>> body;
  Email author;
  DateTime posted_at;
};
BOOST_DESCRIBE_STRUCT(Review, (), (product_id, rating, title, body, author, posted_at))

struct UserCreate {
  Str<min_len<3>, max_len<32>, pattern<"^[a-z][a-z0-9_]*$">> username;
  Email email;
  vivace::Secret<min_len<8>> password;
  vivace::SecretStr password_repeat;
  std::optional<Name> full_name;
};
BOOST_DESCRIBE_STRUCT(UserCreate, (), (username, email, password, password_repeat, full_name))

inline vivace::schema::model_options vivace_model(const UserCreate*) {
  return {.extra = vivace::schema::extra_policy::forbid};
}
inline void vivace_validate(const UserCreate& u, vivace::schema::model_errors& errors) {
  if (u.password.reveal() != u.password_repeat.reveal())
    errors.add("password_repeat", "passwords do not match", "**********");
}

struct UserOut {
  Int<ge<1>> id;
  std::string username;
  Email email;
  DateTime created_at;
  std::vector<Role> roles;
};
BOOST_DESCRIBE_STRUCT(UserOut, (), (id, username, email, created_at, roles))

struct LoginRequest {
  Str<min_len<1>> username;
  vivace::SecretStr password;
  bool remember = false;
};
BOOST_DESCRIBE_STRUCT(LoginRequest, (), (username, password, remember))

inline vivace::schema::model_options vivace_model(const LoginRequest*) {
  return {.fields = {{"remember", {.has_default = true}}}};
}

struct Token {
  std::string access_token;
  Str<one_of<"bearer">> token_type;
  Int<gt<0>> expires_in;
};
BOOST_DESCRIBE_STRUCT(Token, (), (access_token, token_type, expires_in))

struct OrderPage {
  std::vector<Order> items;
  Int<ge<0>> total;
  std::optional<Url> next;
};
BOOST_DESCRIBE_STRUCT(OrderPage, (), (items, total, next))

struct Coupon {
  Str<pattern<"^[A-Z0-9]{6,12}$">> code;
  vivace::Float<gt<0>, le<100>> percent;
  Date valid_until;
  std::optional<Int<ge<1>>> max_uses;
};
BOOST_DESCRIBE_STRUCT(Coupon, (), (code, percent, valid_until, max_uses))

struct Shipment {
  Uuid id;
  Int<ge<1>> order_id;
  Carrier carrier = Carrier::post;
  Str<min_len<5>, max_len<40>> tracking;
  DateTime shipped_at;
  std::optional<DateTime> delivered_at;
  Address address;
};
BOOST_DESCRIBE_STRUCT(Shipment, (),
                      (id, order_id, carrier, tracking, shipped_at, delivered_at, address))

struct Event {
  Uuid id;
  Str<one_of<"order.created", "order.paid", "order.shipped">> type;
  DateTime occurred_at;
  boost::json::value data;
};
BOOST_DESCRIBE_STRUCT(Event, (), (id, type, occurred_at, data))

struct Settings {
  bool email_enabled = true;
  Frequency digest = Frequency::weekly;
  std::optional<Int<ge<0>, le<23>>> quiet_from;
  std::optional<Int<ge<0>, le<23>>> quiet_until;
  Str<pattern<"^[a-z]{2}(-[A-Z]{2})?$">> language;
};
BOOST_DESCRIBE_STRUCT(Settings, (), (email_enabled, digest, quiet_from, quiet_until, language))

struct SettingsPatch {
  Patch<bool> email_enabled;
  Patch<Frequency> digest;
  Patch<Int<ge<0>, le<23>>> quiet_from;
  Patch<Int<ge<0>, le<23>>> quiet_until;
  Patch<Str<pattern<"^[a-z]{2}(-[A-Z]{2})?$">>> language;
};
BOOST_DESCRIBE_STRUCT(SettingsPatch, (), (email_enabled, digest, quiet_from, quiet_until, language))

struct Comment {
  Int<ge<1>> post_id;
  Email author;
  Str<min_len<1>, max_len<2000>> text;
  DateTime written_at;
  std::vector<Comment> replies;
};
BOOST_DESCRIBE_STRUCT(Comment, (), (post_id, author, text, written_at, replies))

}  // namespace shop

namespace {

/// Decodes, encodes and describes one model: what a typed endpoint does with its body and
/// response, and what the OpenAPI document needs.
template <class T>
std::size_t use(std::string_view text, vivace::schema::schema_registry& registry) {
  auto r = vivace::schema::decode_json<T>(text, boost::json::array{"body"});
  std::size_t n = r.errors.size();
  if (r)
    n += vivace::schema::encode_json(*r).size();
  vivace::schema::json_schema<T>(registry);
  return n;
}

constexpr std::string_view address =
    R"({"street":"1 Main St","city":"Springfield","postal_code":"12345","country":"US"})";
constexpr std::string_view customer =
    R"({"id":"6f1c2b7e-8d0a-4c1e-9b3f-2a5d7e9c1b4a","email":"ann@example.com","name":"Ann",
        "addresses":[{"street":"1 Main St","city":"Springfield","postal_code":"12345",
        "country":"US"}],"born":"1990-02-28"})";
constexpr std::string_view order =
    R"({"id":1,"customer":{"id":"6f1c2b7e-8d0a-4c1e-9b3f-2a5d7e9c1b4a","email":"ann@example.com",
        "name":"Ann","addresses":[]},"lines":[{"sku":"AB-12","quantity":2,
        "unit_price":{"amount":9.5,"currency":"EUR"}}],"status":"paid",
        "created_at":"2026-11-24T09:30:00Z"})";

}  // namespace

/// Every model through decode, encode and JSON Schema; the sum keeps the results used.
std::size_t exercise_twenty_models(vivace::schema::schema_registry& registry) {
  std::size_t n = 0;
  n += use<shop::Address>(address, registry);
  n += use<shop::Customer>(customer, registry);
  n += use<shop::Money>(R"({"amount":9.5,"currency":"EUR"})", registry);
  n += use<shop::OrderLine>(R"({"sku":"AB-12","quantity":2,"unit_price":{"amount":9.5,
                                "currency":"EUR"}})",
                            registry);
  n += use<shop::Order>(order, registry);
  n += use<shop::OrderUpdate>(R"({"status":"shipped","note":null})", registry);
  n += use<shop::Product>(R"({"name":"Lamp","price":{"amount":19.5,"currency":"EUR"},
                              "tags":["home","light"],"category":"kitchen",
                              "attributes":{"colour":"red"}})",
                          registry);
  n += use<shop::ProductPatch>(R"({"price":{"amount":17,"currency":"EUR"},"in_stock":false})",
                               registry);
  n += use<shop::Review>(R"({"product_id":7,"rating":5,"title":"Great lamp","author":
                             "bob@example.org","posted_at":"2026-11-24T10:00:00+01:00"})",
                         registry);
  n += use<shop::UserCreate>(R"({"username":"ann_1","email":"ann@example.com",
                                 "password":"correct horse","password_repeat":"correct horse"})",
                             registry);
  n += use<shop::UserOut>(R"({"id":1,"username":"ann_1","email":"ann@example.com",
                              "created_at":"2026-11-24T09:30:00Z","roles":["customer","staff"]})",
                          registry);
  n += use<shop::LoginRequest>(R"({"username":"ann_1","password":"correct horse"})", registry);
  n += use<shop::Token>(R"({"access_token":"abc.def.ghi","token_type":"bearer","expires_in":3600})",
                        registry);
  n += use<shop::OrderPage>(R"({"items":[],"total":0,"next":"https://shop.example/orders?page=2"})",
                            registry);
  n += use<shop::Coupon>(R"({"code":"WINTER2026","percent":15,"valid_until":"2026-12-31"})",
                         registry);
  n += use<shop::Shipment>(R"({"id":"6f1c2b7e-8d0a-4c1e-9b3f-2a5d7e9c1b4a","order_id":1,
                               "carrier":"dhl","tracking":"JJD0099","shipped_at":
                               "2026-11-24T12:00:00Z","address":{"street":"1 Main St",
                               "city":"Springfield","postal_code":"12345","country":"US"}})",
                           registry);
  n += use<shop::Event>(R"({"id":"6f1c2b7e-8d0a-4c1e-9b3f-2a5d7e9c1b4a","type":"order.paid",
                            "occurred_at":"2026-11-24T09:31:00Z","data":{"order":1}})",
                        registry);
  n += use<shop::Settings>(R"({"email_enabled":true,"digest":"daily","language":"en-GB"})",
                           registry);
  n += use<shop::SettingsPatch>(R"({"quiet_from":22,"quiet_until":null})", registry);
  n += use<shop::Comment>(R"({"post_id":1,"author":"ann@example.com","text":"First!",
                              "written_at":"2026-11-24T09:30:00Z","replies":[{"post_id":1,
                              "author":"bob@example.org","text":"Second","written_at":
                              "2026-11-24T09:31:00Z","replies":[]}]})",
                          registry);
  return n;
}
