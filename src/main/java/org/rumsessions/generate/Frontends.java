package org.rumsessions.generate;

import java.util.List;
import java.util.SplittableRandom;

/** The frontends sessions are drawn from, with their shares of traffic. */
final class Frontends {
  private static final List<String> SHOP_PAGES =
      List.of("Home", "Search", "Category", "Product detail", "Cart", "Checkout", "Payment", "Order confirmation", "Account", "Login", "Help");
  private static final List<String> SHOP_PATHS =
      List.of("/", "/search", "/c/shoes", "/p/{id}", "/cart", "/checkout", "/checkout/payment", "/checkout/done", "/account", "/login", "/help");

  static final Frontend SHOP_WEB =
      new Frontend(
          "Shop Web",
          "APPLICATION-3F1A9C2E5B7D4086",
          false,
          null,
          "shop.example.com",
          SHOP_PAGES,
          SHOP_PATHS,
          List.of("/api/v2/products", "/api/v2/cart", "/api/v2/recommendations", "/api/v2/search", "/api/v2/session", "/api/v2/checkout"));

  static final Frontend BOOKING_WEB =
      new Frontend(
          "Travel Booking",
          "APPLICATION-8C2D4E6F1A3B5079",
          false,
          null,
          "booking.example.com",
          List.of("Home", "Flights", "Hotels", "Offer detail", "Traveller details", "Payment", "Booking confirmation", "My trips"),
          List.of("/", "/flights", "/hotels", "/offer/{id}", "/book/travellers", "/book/payment", "/book/done", "/trips"),
          List.of("/api/offers", "/api/availability", "/api/prices", "/api/bookings", "/api/profile"));

  static final Frontend SUPPORT_WEB =
      new Frontend(
          "Customer Portal",
          "APPLICATION-5E7F9A1B3C2D4068",
          false,
          null,
          "support.example.com",
          List.of("Overview", "Tickets", "Ticket detail", "New ticket", "Knowledge base", "Article"),
          List.of("/", "/tickets", "/tickets/{id}", "/tickets/new", "/kb", "/kb/{id}"),
          List.of("/api/tickets", "/api/articles", "/api/user", "/api/attachments"));

  private static final List<String> APP_VIEWS =
      List.of("MainActivity", "HomeView", "SearchView", "ProductListView", "ProductDetailView", "CartView", "CheckoutView", "LoginView", "SettingsView");
  private static final List<String> APP_API =
      List.of("/v2/products", "/v2/cart", "/v2/recommendations", "/v2/session", "/v2/checkout", "/v2/push/register");

  static final Frontend SHOP_IOS =
      new Frontend("Shop iOS", "MOBILE_APPLICATION-1B2C3D4E5F607182", true, "iOS", "api.shop.example.com", APP_VIEWS, APP_VIEWS, APP_API);

  static final Frontend SHOP_ANDROID =
      new Frontend("Shop Android", "MOBILE_APPLICATION-9F8E7D6C5B4A3928", true, "Android", "api.shop.example.com", APP_VIEWS, APP_VIEWS, APP_API);

  /** Web traffic: the shop carries most of it. */
  private static final Weighted<Frontend> WEB =
      Weighted.<Frontend>of().add(0.60, SHOP_WEB).add(0.25, BOOKING_WEB).add(0.15, SUPPORT_WEB);

  private Frontends() {}

  static Frontend web(SplittableRandom rng) {
    return WEB.pick(rng);
  }

  /** A different web frontend than {@code current}, for sessions that move on to a second one. */
  static Frontend otherWeb(SplittableRandom rng, Frontend current) {
    Frontend f = WEB.pick(rng);
    return f == current ? (current == SHOP_WEB ? SUPPORT_WEB : SHOP_WEB) : f;
  }

  static Frontend app(String platform) {
    return "iOS".equals(platform) ? SHOP_IOS : SHOP_ANDROID;
  }
}
