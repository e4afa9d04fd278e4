-- Rows of a Livedock database at the schema before orders/ was split into apps (orders 0011, shop 0005,
-- livestream 0005): two paid orders (one partly refunded for fit, with a fit report; one declared to customs),
-- payouts, an unpaid order, a foot profile and the customs rules. pg_dump --data-only --column-inserts.

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Data for Name: auth_group; Type: TABLE DATA; Schema: public; Owner: -
--


ALTER TABLE public.auth_group DISABLE TRIGGER ALL;



ALTER TABLE public.auth_group ENABLE TRIGGER ALL;

--
-- Data for Name: auth_user; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.auth_user DISABLE TRIGGER ALL;

INSERT INTO public.auth_user (id, password, last_login, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined) VALUES (1, 'md5$vyOrYEjRmZ6YIL3UjZ4Yjx$ee24a342d88330a517deb2e988d901cd', NULL, false, 'buyer0@example.com', '', '', 'buyer0@example.com', false, true, '2026-11-30 10:32:31.092657+00');
INSERT INTO public.auth_user (id, password, last_login, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined) VALUES (2, 'md5$qvvcSOdt5EsZebZV7GILSZ$1197ebe67097264ac57ca38844ad5399', NULL, false, 'buyer1@example.com', '', '', 'buyer1@example.com', false, true, '2026-11-30 10:32:31.325776+00');
INSERT INTO public.auth_user (id, password, last_login, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined) VALUES (3, 'md5$JsBao5UJesdNECSsTHO3UX$c0520c4da8464383b9ac19a4473a1a40', NULL, false, 'buyer2@example.com', '', '', 'buyer2@example.com', false, true, '2026-11-30 10:32:31.428533+00');


ALTER TABLE public.auth_user ENABLE TRIGGER ALL;

--
-- Data for Name: auth_user_groups; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.auth_user_groups DISABLE TRIGGER ALL;



ALTER TABLE public.auth_user_groups ENABLE TRIGGER ALL;

--
-- Data for Name: livestream_livebase; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.livestream_livebase DISABLE TRIGGER ALL;



ALTER TABLE public.livestream_livebase ENABLE TRIGGER ALL;

--
-- Data for Name: livestream_festival; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.livestream_festival DISABLE TRIGGER ALL;



ALTER TABLE public.livestream_festival ENABLE TRIGGER ALL;

--
-- Data for Name: livestream_host; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.livestream_host DISABLE TRIGGER ALL;



ALTER TABLE public.livestream_host ENABLE TRIGGER ALL;

--
-- Data for Name: livestream_studio; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.livestream_studio DISABLE TRIGGER ALL;



ALTER TABLE public.livestream_studio ENABLE TRIGGER ALL;

--
-- Data for Name: livestream_livesession; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.livestream_livesession DISABLE TRIGGER ALL;



ALTER TABLE public.livestream_livesession ENABLE TRIGGER ALL;

--
-- Data for Name: shop_manufacturer; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.shop_manufacturer DISABLE TRIGGER ALL;

INSERT INTO public.shop_manufacturer (id, name, name_zh, slug, country, customs_code, contact_name, contact_email, contact_phone, pricing_currency, payout_account_ref, is_active, created_at, default_warehouse_id) VALUES (2, 'Wenzhou Footwear Co. 1', '', 'maker-1', 'CN', '91330300000000001N', '', '', '', 'USD', '', true, '2026-11-30 10:32:31.033049+00', NULL);
INSERT INTO public.shop_manufacturer (id, name, name_zh, slug, country, customs_code, contact_name, contact_email, contact_phone, pricing_currency, payout_account_ref, is_active, created_at, default_warehouse_id) VALUES (1, 'Wenzhou Footwear Co. 0', '', 'maker-0', 'CN', '91330300000000000K', '', '', '', 'USD', 'acct_maker_a', true, '2026-11-30 10:32:30.980428+00', NULL);


ALTER TABLE public.shop_manufacturer ENABLE TRIGGER ALL;

--
-- Data for Name: shop_brand; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.shop_brand DISABLE TRIGGER ALL;

INSERT INTO public.shop_brand (id, name, slug, manufacturer_id) VALUES (1, 'Brand 0', 'brand-0', 1);
INSERT INTO public.shop_brand (id, name, slug, manufacturer_id) VALUES (2, 'Brand 1', 'brand-1', 2);


ALTER TABLE public.shop_brand ENABLE TRIGGER ALL;

--
-- Data for Name: shop_category; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.shop_category DISABLE TRIGGER ALL;

INSERT INTO public.shop_category (id, name, slug, path, "position", parent_id) VALUES (1, 'Shoes', 'shoes', 'shoes', 0, NULL);


ALTER TABLE public.shop_category ENABLE TRIGGER ALL;

--
-- Data for Name: shop_product; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.shop_product DISABLE TRIGGER ALL;

INSERT INTO public.shop_product (id, name, name_zh, slug, description, upper_material, lining_material, outer_sole_material, covers_ankle, gender, country_of_origin, hs_code, cn_commodity_code, declaration_elements, legal_unit1, legal_unit2, is_active, created_at, updated_at, brand_id, category_id, manufacturer_id, rcep_origin_country, rcep_origin_criterion) VALUES (1, 'Leather ankle boot 0', '', 'product-0', '', 'leather', '', 'rubber_plastics', true, 'unisex', 'CN', '640391', '6403911900', '0|0|包脚踝|牛皮|橡胶|品牌|款号', '025', '035', true, '2026-11-30 10:32:30.985949+00', '2026-11-30 10:32:30.98596+00', 1, 1, 1, '', '');
INSERT INTO public.shop_product (id, name, name_zh, slug, description, upper_material, lining_material, outer_sole_material, covers_ankle, gender, country_of_origin, hs_code, cn_commodity_code, declaration_elements, legal_unit1, legal_unit2, is_active, created_at, updated_at, brand_id, category_id, manufacturer_id, rcep_origin_country, rcep_origin_criterion) VALUES (2, 'Leather ankle boot 1', '', 'product-1', '', 'leather', '', 'rubber_plastics', true, 'unisex', 'CN', '640391', '6403911900', '0|0|包脚踝|牛皮|橡胶|品牌|款号', '025', '035', true, '2026-11-30 10:32:31.035527+00', '2026-11-30 10:32:31.035536+00', 2, 1, 2, '', '');


ALTER TABLE public.shop_product ENABLE TRIGGER ALL;

--
-- Data for Name: livestream_lineupitem; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.livestream_lineupitem DISABLE TRIGGER ALL;



ALTER TABLE public.livestream_lineupitem ENABLE TRIGGER ALL;

--
-- Data for Name: livestream_flashdeal; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.livestream_flashdeal DISABLE TRIGGER ALL;



ALTER TABLE public.livestream_flashdeal ENABLE TRIGGER ALL;

--
-- Data for Name: livestream_dealpurchase; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.livestream_dealpurchase DISABLE TRIGGER ALL;



ALTER TABLE public.livestream_dealpurchase ENABLE TRIGGER ALL;

--
-- Data for Name: livestream_flashdealevent; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.livestream_flashdealevent DISABLE TRIGGER ALL;



ALTER TABLE public.livestream_flashdealevent ENABLE TRIGGER ALL;

--
-- Data for Name: livestream_hostavailability; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.livestream_hostavailability DISABLE TRIGGER ALL;



ALTER TABLE public.livestream_hostavailability ENABLE TRIGGER ALL;

--
-- Data for Name: livestream_pinnedproduct; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.livestream_pinnedproduct DISABLE TRIGGER ALL;



ALTER TABLE public.livestream_pinnedproduct ENABLE TRIGGER ALL;

--
-- Data for Name: livestream_sessionmetrics; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.livestream_sessionmetrics DISABLE TRIGGER ALL;



ALTER TABLE public.livestream_sessionmetrics ENABLE TRIGGER ALL;

--
-- Data for Name: livestream_sessionrequest; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.livestream_sessionrequest DISABLE TRIGGER ALL;



ALTER TABLE public.livestream_sessionrequest ENABLE TRIGGER ALL;

--
-- Data for Name: livestream_streamingtool; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.livestream_streamingtool DISABLE TRIGGER ALL;



ALTER TABLE public.livestream_streamingtool ENABLE TRIGGER ALL;

--
-- Data for Name: livestream_viewreport; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.livestream_viewreport DISABLE TRIGGER ALL;



ALTER TABLE public.livestream_viewreport ENABLE TRIGGER ALL;

--
-- Data for Name: orders_address; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.orders_address DISABLE TRIGGER ALL;

INSERT INTO public.orders_address (id, full_name, line1, line2, city, region, postal_code, country, phone, created_at, buyer_id) VALUES (1, 'Anna Muster', 'Marienplatz 1', '', 'Munich', '', '80331', 'DE', '', '2026-11-30 10:32:31.096915+00', 1);
INSERT INTO public.orders_address (id, full_name, line1, line2, city, region, postal_code, country, phone, created_at, buyer_id) VALUES (2, 'Anna Muster', 'Marienplatz 1', '', 'Munich', '', '80331', 'DE', '', '2026-11-30 10:32:31.327481+00', 2);
INSERT INTO public.orders_address (id, full_name, line1, line2, city, region, postal_code, country, phone, created_at, buyer_id) VALUES (3, 'Anna Muster', 'Marienplatz 1', '', 'Munich', '', '80331', 'DE', '', '2026-11-30 10:32:31.430197+00', 3);


ALTER TABLE public.orders_address ENABLE TRIGGER ALL;

--
-- Data for Name: orders_buyerprofile; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.orders_buyerprofile DISABLE TRIGGER ALL;

INSERT INTO public.orders_buyerprofile (id, full_name, preferred_currency, language, created_at, user_id) VALUES (1, '', 'EUR', 'en', '2026-11-30 10:32:31.094066+00', 1);
INSERT INTO public.orders_buyerprofile (id, full_name, preferred_currency, language, created_at, user_id) VALUES (2, '', 'EUR', 'en', '2026-11-30 10:32:31.326673+00', 2);
INSERT INTO public.orders_buyerprofile (id, full_name, preferred_currency, language, created_at, user_id) VALUES (3, '', 'EUR', 'en', '2026-11-30 10:32:31.429406+00', 3);


ALTER TABLE public.orders_buyerprofile ENABLE TRIGGER ALL;

--
-- Data for Name: orders_cart; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.orders_cart DISABLE TRIGGER ALL;

INSERT INTO public.orders_cart (id, updated_at, buyer_id) VALUES (1, '2026-11-30 10:32:31.136839+00', 1);
INSERT INTO public.orders_cart (id, updated_at, buyer_id) VALUES (2, '2026-11-30 10:32:31.338178+00', 2);
INSERT INTO public.orders_cart (id, updated_at, buyer_id) VALUES (3, '2026-11-30 10:32:31.440265+00', 3);


ALTER TABLE public.orders_cart ENABLE TRIGGER ALL;

--
-- Data for Name: shop_variant; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.shop_variant DISABLE TRIGGER ALL;

INSERT INTO public.shop_variant (id, sku, size_system, size_label, foot_length_mm, width_class, colour, gtin, net_weight_kg, gross_weight_kg, is_active, product_id) VALUES (1, 'SKU-00000', 'EU', '42', 260, 'E', 'black', '6900000000007', 0.900, 1.200, true, 1);
INSERT INTO public.shop_variant (id, sku, size_system, size_label, foot_length_mm, width_class, colour, gtin, net_weight_kg, gross_weight_kg, is_active, product_id) VALUES (2, 'SKU-00001', 'EU', '42', 260, 'E', 'black', '6900000000014', 0.900, 1.200, true, 2);


ALTER TABLE public.shop_variant ENABLE TRIGGER ALL;

--
-- Data for Name: orders_cartline; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.orders_cartline DISABLE TRIGGER ALL;



ALTER TABLE public.orders_cartline ENABLE TRIGGER ALL;

--
-- Data for Name: orders_order; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.orders_order DISABLE TRIGGER ALL;

INSERT INTO public.orders_order (id, number, status, currency, goods_total, shipping_total, duties_total, taxes_total, total, shipping_address, destination_country, reservation_expires_at, payment_hold_until, cancel_reason, created_at, updated_at, buyer_id, landed_cost) VALUES (2, 'LD-261130-S6JE7B', 'partially_refunded', 'EUR', 172.000, 23.220, 15.620, 40.060, 250.900, '{"city": "Munich", "line1": "Marienplatz 1", "line2": "", "phone": "", "region": "", "country": "DE", "full_name": "Anna Muster", "postal_code": "80331"}', 'DE', '2026-11-30 11:02:31.3561+00', '2026-11-30 10:52:31.372397+00', '', '2026-11-30 10:32:31.356466+00', '2026-11-30 10:32:31.423376+00', 2, '{"fx": [{"base": "EUR", "rate": "1", "quote": "EUR", "source": "identity", "estimate": false}, {"base": "EUR", "rate": "1", "quote": "EUR", "source": "identity", "estimate": false}], "tax": {"base": {"amount": "210.84", "currency": "EUR"}, "name": "VAT", "rate": "0.1900", "amount": {"amount": "40.06", "currency": "EUR"}, "assessed": {"amount": "40.06", "currency": "EUR"}}, "duty": {"amount": "15.62", "currency": "EUR"}, "goods": {"amount": "172.00", "currency": "EUR"}, "total": {"amount": "250.90", "currency": "EUR"}, "regime": "EU_IMPORT", "estimate": false, "shipping": {"amount": "23.22", "currency": "EUR"}, "warnings": [], "collection": "DDP", "duty_lines": [{"sku": "SKU-00000", "kind": "ad_valorem", "amount": {"amount": "15.62", "currency": "EUR"}, "scheme": "MFN", "source": "TARIC 6403 91 11 90 / 6403 99 91 00 third-country 8% (taric-check.com)", "hs_code": "640391", "rule_id": 1, "confidence": "S", "mfn_amount": {"amount": "15.62", "currency": "EUR"}}], "destination": "DE", "customs_value": {"amount": "195.22", "currency": "EUR"}, "duty_assessed": {"amount": "15.62", "currency": "EUR"}, "regime_source": "VAT e-commerce package 2021-07-01 (vatcompliance.co; dpd.com; AEAT H7 manual), per customs spec 2.2", "saving_vs_mfn": {"amount": "0.00", "currency": "EUR"}, "preference_applied": false, "origin_declarations": []}');
INSERT INTO public.orders_order (id, number, status, currency, goods_total, shipping_total, duties_total, taxes_total, total, shipping_address, destination_country, reservation_expires_at, payment_hold_until, cancel_reason, created_at, updated_at, buyer_id, landed_cost) VALUES (1, 'LD-261130-N4PBKQ', 'paid', 'EUR', 172.000, 41.280, 17.060, 43.760, 274.100, '{"city": "Munich", "line1": "Marienplatz 1", "line2": "", "phone": "", "region": "", "country": "DE", "full_name": "Anna Muster", "postal_code": "80331"}', 'DE', '2026-11-30 11:02:31.160108+00', '2026-11-30 10:52:31.203114+00', '', '2026-11-30 10:32:31.160792+00', '2026-11-30 10:32:31.224427+00', 1, '{"fx": [{"base": "EUR", "rate": "1", "quote": "EUR", "source": "identity", "estimate": false}, {"base": "EUR", "rate": "1", "quote": "EUR", "source": "identity", "estimate": false}], "tax": {"base": {"amount": "230.34", "currency": "EUR"}, "name": "VAT", "rate": "0.1900", "amount": {"amount": "43.76", "currency": "EUR"}, "assessed": {"amount": "43.76", "currency": "EUR"}}, "duty": {"amount": "17.06", "currency": "EUR"}, "goods": {"amount": "172.00", "currency": "EUR"}, "total": {"amount": "274.10", "currency": "EUR"}, "regime": "EU_IMPORT", "estimate": false, "shipping": {"amount": "41.28", "currency": "EUR"}, "warnings": [], "collection": "DDP", "duty_lines": [{"sku": "SKU-00000", "kind": "ad_valorem", "amount": {"amount": "8.53", "currency": "EUR"}, "scheme": "MFN", "source": "TARIC 6403 91 11 90 / 6403 99 91 00 third-country 8% (taric-check.com)", "hs_code": "640391", "rule_id": 1, "confidence": "S", "mfn_amount": {"amount": "8.53", "currency": "EUR"}}, {"sku": "SKU-00001", "kind": "ad_valorem", "amount": {"amount": "8.53", "currency": "EUR"}, "scheme": "MFN", "source": "TARIC 6403 91 11 90 / 6403 99 91 00 third-country 8% (taric-check.com)", "hs_code": "640391", "rule_id": 1, "confidence": "S", "mfn_amount": {"amount": "8.53", "currency": "EUR"}}], "destination": "DE", "customs_value": {"amount": "213.28", "currency": "EUR"}, "duty_assessed": {"amount": "17.06", "currency": "EUR"}, "regime_source": "VAT e-commerce package 2021-07-01 (vatcompliance.co; dpd.com; AEAT H7 manual), per customs spec 2.2", "saving_vs_mfn": {"amount": "0.00", "currency": "EUR"}, "preference_applied": false, "origin_declarations": []}');
INSERT INTO public.orders_order (id, number, status, currency, goods_total, shipping_total, duties_total, taxes_total, total, shipping_address, destination_country, reservation_expires_at, payment_hold_until, cancel_reason, created_at, updated_at, buyer_id, landed_cost) VALUES (3, 'LD-261130-T7PE4P', 'pending_payment', 'EUR', 43.000, 18.060, 3.000, 12.170, 76.230, '{"city": "Munich", "line1": "Marienplatz 1", "line2": "", "phone": "", "region": "", "country": "DE", "full_name": "Anna Muster", "postal_code": "80331"}', 'DE', '2026-11-30 11:02:31.459696+00', NULL, '', '2026-11-30 10:32:31.46001+00', '2026-11-30 10:32:31.460015+00', 3, '{"fx": [{"base": "EUR", "rate": "1", "quote": "EUR", "source": "identity", "estimate": false}, {"base": "EUR", "rate": "1", "quote": "EUR", "source": "identity", "estimate": false}], "tax": {"base": {"amount": "64.06", "currency": "EUR"}, "name": "VAT", "rate": "0.1900", "amount": {"amount": "12.17", "currency": "EUR"}, "assessed": {"amount": "12.17", "currency": "EUR"}}, "duty": {"amount": "3.00", "currency": "EUR"}, "goods": {"amount": "43.00", "currency": "EUR"}, "total": {"amount": "76.23", "currency": "EUR"}, "regime": "EU_IOSS_FLAT_DUTY", "estimate": false, "shipping": {"amount": "18.06", "currency": "EUR"}, "warnings": [], "collection": "DDP", "duty_lines": [{"sku": "SKU-00001", "kind": "flat_per_subheading", "amount": {"amount": "3.00", "currency": "EUR"}, "scheme": "FLAT", "source": "Council Reg. (EU) 2026/382; Delegated Reg. (EU) 2026/1022, EUR 3 per distinct subheading from 2026-07-01 (Baker McKenzie 2026-06-26/07-02), customs spec 2.2", "hs_code": "640391", "rule_id": null, "confidence": "S", "mfn_amount": {"amount": "3.00", "currency": "EUR"}}], "destination": "DE", "customs_value": {"amount": "61.06", "currency": "EUR"}, "duty_assessed": {"amount": "3.00", "currency": "EUR"}, "regime_source": "Council Reg. (EU) 2026/382; Delegated Reg. (EU) 2026/1022, EUR 3 per distinct subheading from 2026-07-01 (Baker McKenzie 2026-06-26/07-02), customs spec 2.2", "saving_vs_mfn": {"amount": "0.00", "currency": "EUR"}, "preference_applied": false, "origin_declarations": []}');


ALTER TABLE public.orders_order ENABLE TRIGGER ALL;

--
-- Data for Name: shop_warehouse; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.shop_warehouse DISABLE TRIGGER ALL;

INSERT INTO public.shop_warehouse (id, code, name, kind, country, city, address, manufacturer_id) VALUES (1, 'wh-0', 'Factory warehouse 0', 'factory', 'CN', '', '', 1);
INSERT INTO public.shop_warehouse (id, code, name, kind, country, city, address, manufacturer_id) VALUES (2, 'wh-1', 'Factory warehouse 1', 'factory', 'CN', '', '', 2);


ALTER TABLE public.shop_warehouse ENABLE TRIGGER ALL;

--
-- Data for Name: orders_shipment; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.orders_shipment DISABLE TRIGGER ALL;

INSERT INTO public.orders_shipment (id, status, carrier, tracking_number, packed_at, shipped_at, delivered_at, manufacturer_id, order_id, warehouse_id, customs_status, waybill_number) VALUES (1, 'pending', '', '', NULL, NULL, NULL, 1, 1, 1, 'declared', 'LDW000000000001');
INSERT INTO public.orders_shipment (id, status, carrier, tracking_number, packed_at, shipped_at, delivered_at, manufacturer_id, order_id, warehouse_id, customs_status, waybill_number) VALUES (2, 'pending', '', '', NULL, NULL, NULL, 2, 1, 2, 'declared', 'LDW000000000002');
INSERT INTO public.orders_shipment (id, status, carrier, tracking_number, packed_at, shipped_at, delivered_at, manufacturer_id, order_id, warehouse_id, customs_status, waybill_number) VALUES (3, 'pending', '', '', NULL, NULL, NULL, 1, 2, 1, 'not_declared', '');
INSERT INTO public.orders_shipment (id, status, carrier, tracking_number, packed_at, shipped_at, delivered_at, manufacturer_id, order_id, warehouse_id, customs_status, waybill_number) VALUES (4, 'pending', '', '', NULL, NULL, NULL, 2, 3, 2, 'not_declared', '');


ALTER TABLE public.orders_shipment ENABLE TRIGGER ALL;

--
-- Data for Name: orders_customsdeclaration; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.orders_customsdeclaration DISABLE TRIGGER ALL;

INSERT INTO public.orders_customsdeclaration (id, message_type, generation, guid, business_no, status, xml, validation_error, destination_data, transport_ref, sent_at, period, created_at, shipment_id) VALUES (3, 'CEB603', 1, '467209A6-D4CC-439E-BA3C-5B27BDBEB83B', 'LD-261130-N4PBKQ-1', 'sent', '<?xml version=''1.0'' encoding=''UTF-8''?>
<ceb:CEB603Message xmlns:ceb="http://www.chinaport.gov.cn/ceb" guid="467209A6-D4CC-439E-BA3C-5B27BDBEB83B" version="1.0">
  <ceb:Inventory>
    <ceb:InventoryHead>
      <ceb:guid>467209A6-D4CC-439E-BA3C-5B27BDBEB83B</ceb:guid>
      <ceb:appType>1</ceb:appType>
      <ceb:appTime>20261130103231</ceb:appTime>
      <ceb:appStatus>2</ceb:appStatus>
      <ceb:customsCode>2901</ceb:customsCode>
      <ceb:ebpCode>3303960000</ceb:ebpCode>
      <ceb:ebpName>Livedock</ceb:ebpName>
      <ceb:orderNo>LD-261130-N4PBKQ-1</ceb:orderNo>
      <ceb:logisticsCode>3303970000</ceb:logisticsCode>
      <ceb:logisticsName>Livedock Express</ceb:logisticsName>
      <ceb:logisticsNo>LDW000000000001</ceb:logisticsNo>
      <ceb:copNo>LD0000000001</ceb:copNo>
      <ceb:ieFlag>E</ceb:ieFlag>
      <ceb:portCode>2901</ceb:portCode>
      <ceb:ieDate>20261130</ceb:ieDate>
      <ceb:statisticsFlag>B</ceb:statisticsFlag>
      <ceb:agentCode>3303980000</ceb:agentCode>
      <ceb:agentName>Livedock Customs Agency</ceb:agentName>
      <ceb:ebcCode>91330300000000000K</ceb:ebcCode>
      <ceb:ebcName>Wenzhou Footwear Co. 0</ceb:ebcName>
      <ceb:ownerCode>91330300000000000K</ceb:ownerCode>
      <ceb:ownerName>Wenzhou Footwear Co. 0</ceb:ownerName>
      <ceb:tradeMode>9610</ceb:tradeMode>
      <ceb:trafMode>5</ceb:trafMode>
      <ceb:country>304</ceb:country>
      <ceb:freight>20.64</ceb:freight>
      <ceb:fCurrency>300</ceb:fCurrency>
      <ceb:fFlag>3</ceb:fFlag>
      <ceb:insuredFee>0.00</ceb:insuredFee>
      <ceb:iCurrency>300</ceb:iCurrency>
      <ceb:iFlag>3</ceb:iFlag>
      <ceb:packNo>1</ceb:packNo>
      <ceb:grossWeight>1.200</ceb:grossWeight>
      <ceb:netWeight>0.900</ceb:netWeight>
    </ceb:InventoryHead>
    <ceb:InventoryList>
      <ceb:gnum>1</ceb:gnum>
      <ceb:itemNo>SKU-00000</ceb:itemNo>
      <ceb:itemName>Leather ankle boot 0</ceb:itemName>
      <ceb:gcode>6403911900</ceb:gcode>
      <ceb:gname>Leather ankle boot 0</ceb:gname>
      <ceb:gmodel>0|0|包脚踝|牛皮|橡胶|品牌|款号</ceb:gmodel>
      <ceb:barCode>6900000000007</ceb:barCode>
      <ceb:country>142</ceb:country>
      <ceb:currency>300</ceb:currency>
      <ceb:qty>1</ceb:qty>
      <ceb:qty1>1</ceb:qty1>
      <ceb:unit1>025</ceb:unit1>
      <ceb:qty2>0.900</ceb:qty2>
      <ceb:unit2>035</ceb:unit2>
      <ceb:unit>025</ceb:unit>
      <ceb:price>86.000</ceb:price>
      <ceb:totalPrice>86.000</ceb:totalPrice>
    </ceb:InventoryList>
  </ceb:Inventory>
  <ceb:BaseTransfer>
    <ceb:copCode>3303960000</ceb:copCode>
    <ceb:copName>Livedock</ceb:copName>
    <ceb:dxpMode>DXP</ceb:dxpMode>
    <ceb:dxpId>DXPENT0000000000</ceb:dxpId>
  </ceb:BaseTransfer>
</ceb:CEB603Message>
', '', '{"items": [{"value": "86.000", "origin": "CN", "hs_code": "640391", "quantity": 1, "description": "Leather ankle boot 0"}], "regime": "EU_IMPORT", "data_set": "H7", "consignee": {"city": "Munich", "line1": "Marienplatz 1", "country": "DE", "full_name": "Anna Muster", "postal_code": "80331"}, "consignor": "Wenzhou Footwear Co. 0", "gross_weight_kg": "1.200", "intrinsic_value": {"amount": "86.000", "currency": "EUR"}, "transport_document": "LDW000000000001"}', 'outbox/CEB603_467209A6-D4CC-439E-BA3C-5B27BDBEB83B.xml', '2026-11-30 10:32:31.306069+00', '', '2026-11-30 10:32:31.29683+00', 1);
INSERT INTO public.orders_customsdeclaration (id, message_type, generation, guid, business_no, status, xml, validation_error, destination_data, transport_ref, sent_at, period, created_at, shipment_id) VALUES (1, 'CEB303', 1, 'BFD1B5C3-4898-43CA-9BE5-58AC31A96EAD', 'LD-261130-N4PBKQ-1', 'sent', '<?xml version=''1.0'' encoding=''UTF-8''?>
<ceb:CEB303Message xmlns:ceb="http://www.chinaport.gov.cn/ceb" guid="BFD1B5C3-4898-43CA-9BE5-58AC31A96EAD" version="1.0">
  <ceb:Order>
    <ceb:OrderHead>
      <ceb:guid>BFD1B5C3-4898-43CA-9BE5-58AC31A96EAD</ceb:guid>
      <ceb:appType>1</ceb:appType>
      <ceb:appTime>20261130103231</ceb:appTime>
      <ceb:appStatus>2</ceb:appStatus>
      <ceb:orderType>E</ceb:orderType>
      <ceb:orderNo>LD-261130-N4PBKQ-1</ceb:orderNo>
      <ceb:ebpCode>3303960000</ceb:ebpCode>
      <ceb:ebpName>Livedock</ceb:ebpName>
      <ceb:ebcCode>91330300000000000K</ceb:ebcCode>
      <ceb:ebcName>Wenzhou Footwear Co. 0</ceb:ebcName>
      <ceb:goodsValue>86.00</ceb:goodsValue>
      <ceb:freight>20.64</ceb:freight>
      <ceb:currency>300</ceb:currency>
    </ceb:OrderHead>
    <ceb:OrderList>
      <ceb:gnum>1</ceb:gnum>
      <ceb:itemNo>SKU-00000</ceb:itemNo>
      <ceb:itemName>Leather ankle boot 0</ceb:itemName>
      <ceb:itemDescribe>Leather ankle boot 0</ceb:itemDescribe>
      <ceb:barCode>6900000000007</ceb:barCode>
      <ceb:unit>025</ceb:unit>
      <ceb:currency>300</ceb:currency>
      <ceb:qty>1</ceb:qty>
      <ceb:price>86.000</ceb:price>
      <ceb:totalPrice>86.000</ceb:totalPrice>
    </ceb:OrderList>
  </ceb:Order>
  <ceb:BaseTransfer>
    <ceb:copCode>3303960000</ceb:copCode>
    <ceb:copName>Livedock</ceb:copName>
    <ceb:dxpMode>DXP</ceb:dxpMode>
    <ceb:dxpId>DXPENT0000000000</ceb:dxpId>
  </ceb:BaseTransfer>
</ceb:CEB303Message>
', '', '{}', 'outbox/CEB303_BFD1B5C3-4898-43CA-9BE5-58AC31A96EAD.xml', '2026-11-30 10:32:31.301759+00', '', '2026-11-30 10:32:31.289897+00', 1);
INSERT INTO public.orders_customsdeclaration (id, message_type, generation, guid, business_no, status, xml, validation_error, destination_data, transport_ref, sent_at, period, created_at, shipment_id) VALUES (2, 'CEB505', 1, '2D4524F4-56C1-4189-9A50-16DD67483C19', 'LDW000000000001', 'sent', '<?xml version=''1.0'' encoding=''UTF-8''?>
<ceb:CEB505Message xmlns:ceb="http://www.chinaport.gov.cn/ceb" guid="2D4524F4-56C1-4189-9A50-16DD67483C19" version="1.0">
  <ceb:Logistics>
    <ceb:LogisticsHead>
      <ceb:guid>2D4524F4-56C1-4189-9A50-16DD67483C19</ceb:guid>
      <ceb:appType>1</ceb:appType>
      <ceb:appTime>20261130103231</ceb:appTime>
      <ceb:appStatus>2</ceb:appStatus>
      <ceb:logisticsCode>3303970000</ceb:logisticsCode>
      <ceb:logisticsName>Livedock Express</ceb:logisticsName>
      <ceb:logisticsNo>LDW000000000001</ceb:logisticsNo>
      <ceb:freight>20.64</ceb:freight>
      <ceb:insuredFee>0.00</ceb:insuredFee>
      <ceb:currency>300</ceb:currency>
      <ceb:grossWeight>1.200</ceb:grossWeight>
      <ceb:packNo>1</ceb:packNo>
      <ceb:goodsInfo>Leather ankle boot 0 x1</ceb:goodsInfo>
      <ceb:ebcCode>91330300000000000K</ceb:ebcCode>
      <ceb:ebcName>Wenzhou Footwear Co. 0</ceb:ebcName>
    </ceb:LogisticsHead>
  </ceb:Logistics>
  <ceb:BaseTransfer>
    <ceb:copCode>3303960000</ceb:copCode>
    <ceb:copName>Livedock</ceb:copName>
    <ceb:dxpMode>DXP</ceb:dxpMode>
    <ceb:dxpId>DXPENT0000000000</ceb:dxpId>
  </ceb:BaseTransfer>
</ceb:CEB505Message>
', '', '{}', 'outbox/CEB505_2D4524F4-56C1-4189-9A50-16DD67483C19.xml', '2026-11-30 10:32:31.303343+00', '', '2026-11-30 10:32:31.293826+00', 1);
INSERT INTO public.orders_customsdeclaration (id, message_type, generation, guid, business_no, status, xml, validation_error, destination_data, transport_ref, sent_at, period, created_at, shipment_id) VALUES (5, 'CEB505', 1, '31E5F76D-03D5-464E-AD38-7E0DB3DFC3CD', 'LDW000000000002', 'sent', '<?xml version=''1.0'' encoding=''UTF-8''?>
<ceb:CEB505Message xmlns:ceb="http://www.chinaport.gov.cn/ceb" guid="31E5F76D-03D5-464E-AD38-7E0DB3DFC3CD" version="1.0">
  <ceb:Logistics>
    <ceb:LogisticsHead>
      <ceb:guid>31E5F76D-03D5-464E-AD38-7E0DB3DFC3CD</ceb:guid>
      <ceb:appType>1</ceb:appType>
      <ceb:appTime>20261130103231</ceb:appTime>
      <ceb:appStatus>2</ceb:appStatus>
      <ceb:logisticsCode>3303970000</ceb:logisticsCode>
      <ceb:logisticsName>Livedock Express</ceb:logisticsName>
      <ceb:logisticsNo>LDW000000000002</ceb:logisticsNo>
      <ceb:freight>20.64</ceb:freight>
      <ceb:insuredFee>0.00</ceb:insuredFee>
      <ceb:currency>300</ceb:currency>
      <ceb:grossWeight>2.400</ceb:grossWeight>
      <ceb:packNo>1</ceb:packNo>
      <ceb:goodsInfo>Leather ankle boot 1 x2</ceb:goodsInfo>
      <ceb:ebcCode>91330300000000001N</ceb:ebcCode>
      <ceb:ebcName>Wenzhou Footwear Co. 1</ceb:ebcName>
    </ceb:LogisticsHead>
  </ceb:Logistics>
  <ceb:BaseTransfer>
    <ceb:copCode>3303960000</ceb:copCode>
    <ceb:copName>Livedock</ceb:copName>
    <ceb:dxpMode>DXP</ceb:dxpMode>
    <ceb:dxpId>DXPENT0000000000</ceb:dxpId>
  </ceb:BaseTransfer>
</ceb:CEB505Message>
', '', '{}', 'outbox/CEB505_31E5F76D-03D5-464E-AD38-7E0DB3DFC3CD.xml', '2026-11-30 10:32:31.322979+00', '', '2026-11-30 10:32:31.31554+00', 2);
INSERT INTO public.orders_customsdeclaration (id, message_type, generation, guid, business_no, status, xml, validation_error, destination_data, transport_ref, sent_at, period, created_at, shipment_id) VALUES (6, 'CEB603', 1, '6AE43F4E-A922-4C74-96FC-2B6545437822', 'LD-261130-N4PBKQ-2', 'sent', '<?xml version=''1.0'' encoding=''UTF-8''?>
<ceb:CEB603Message xmlns:ceb="http://www.chinaport.gov.cn/ceb" guid="6AE43F4E-A922-4C74-96FC-2B6545437822" version="1.0">
  <ceb:Inventory>
    <ceb:InventoryHead>
      <ceb:guid>6AE43F4E-A922-4C74-96FC-2B6545437822</ceb:guid>
      <ceb:appType>1</ceb:appType>
      <ceb:appTime>20261130103231</ceb:appTime>
      <ceb:appStatus>2</ceb:appStatus>
      <ceb:customsCode>2901</ceb:customsCode>
      <ceb:ebpCode>3303960000</ceb:ebpCode>
      <ceb:ebpName>Livedock</ceb:ebpName>
      <ceb:orderNo>LD-261130-N4PBKQ-2</ceb:orderNo>
      <ceb:logisticsCode>3303970000</ceb:logisticsCode>
      <ceb:logisticsName>Livedock Express</ceb:logisticsName>
      <ceb:logisticsNo>LDW000000000002</ceb:logisticsNo>
      <ceb:copNo>LD0000000002</ceb:copNo>
      <ceb:ieFlag>E</ceb:ieFlag>
      <ceb:portCode>2901</ceb:portCode>
      <ceb:ieDate>20261130</ceb:ieDate>
      <ceb:statisticsFlag>B</ceb:statisticsFlag>
      <ceb:agentCode>3303980000</ceb:agentCode>
      <ceb:agentName>Livedock Customs Agency</ceb:agentName>
      <ceb:ebcCode>91330300000000001N</ceb:ebcCode>
      <ceb:ebcName>Wenzhou Footwear Co. 1</ceb:ebcName>
      <ceb:ownerCode>91330300000000001N</ceb:ownerCode>
      <ceb:ownerName>Wenzhou Footwear Co. 1</ceb:ownerName>
      <ceb:tradeMode>9610</ceb:tradeMode>
      <ceb:trafMode>5</ceb:trafMode>
      <ceb:country>304</ceb:country>
      <ceb:freight>20.64</ceb:freight>
      <ceb:fCurrency>300</ceb:fCurrency>
      <ceb:fFlag>3</ceb:fFlag>
      <ceb:insuredFee>0.00</ceb:insuredFee>
      <ceb:iCurrency>300</ceb:iCurrency>
      <ceb:iFlag>3</ceb:iFlag>
      <ceb:packNo>1</ceb:packNo>
      <ceb:grossWeight>2.400</ceb:grossWeight>
      <ceb:netWeight>1.800</ceb:netWeight>
    </ceb:InventoryHead>
    <ceb:InventoryList>
      <ceb:gnum>1</ceb:gnum>
      <ceb:itemNo>SKU-00001</ceb:itemNo>
      <ceb:itemName>Leather ankle boot 1</ceb:itemName>
      <ceb:gcode>6403911900</ceb:gcode>
      <ceb:gname>Leather ankle boot 1</ceb:gname>
      <ceb:gmodel>0|0|包脚踝|牛皮|橡胶|品牌|款号</ceb:gmodel>
      <ceb:barCode>6900000000014</ceb:barCode>
      <ceb:country>142</ceb:country>
      <ceb:currency>300</ceb:currency>
      <ceb:qty>2</ceb:qty>
      <ceb:qty1>2</ceb:qty1>
      <ceb:unit1>025</ceb:unit1>
      <ceb:qty2>1.800</ceb:qty2>
      <ceb:unit2>035</ceb:unit2>
      <ceb:unit>025</ceb:unit>
      <ceb:price>43.000</ceb:price>
      <ceb:totalPrice>86.000</ceb:totalPrice>
    </ceb:InventoryList>
  </ceb:Inventory>
  <ceb:BaseTransfer>
    <ceb:copCode>3303960000</ceb:copCode>
    <ceb:copName>Livedock</ceb:copName>
    <ceb:dxpMode>DXP</ceb:dxpMode>
    <ceb:dxpId>DXPENT0000000000</ceb:dxpId>
  </ceb:BaseTransfer>
</ceb:CEB603Message>
', '', '{"items": [{"value": "86.000", "origin": "CN", "hs_code": "640391", "quantity": 2, "description": "Leather ankle boot 1"}], "regime": "EU_IMPORT", "data_set": "H7", "consignee": {"city": "Munich", "line1": "Marienplatz 1", "country": "DE", "full_name": "Anna Muster", "postal_code": "80331"}, "consignor": "Wenzhou Footwear Co. 1", "gross_weight_kg": "2.400", "intrinsic_value": {"amount": "86.000", "currency": "EUR"}, "transport_document": "LDW000000000002"}', 'outbox/CEB603_6AE43F4E-A922-4C74-96FC-2B6545437822.xml', '2026-11-30 10:32:31.324436+00', '', '2026-11-30 10:32:31.317972+00', 2);
INSERT INTO public.orders_customsdeclaration (id, message_type, generation, guid, business_no, status, xml, validation_error, destination_data, transport_ref, sent_at, period, created_at, shipment_id) VALUES (4, 'CEB303', 1, '6938466A-D1FF-4769-BFCA-67D22CD8E66B', 'LD-261130-N4PBKQ-2', 'sent', '<?xml version=''1.0'' encoding=''UTF-8''?>
<ceb:CEB303Message xmlns:ceb="http://www.chinaport.gov.cn/ceb" guid="6938466A-D1FF-4769-BFCA-67D22CD8E66B" version="1.0">
  <ceb:Order>
    <ceb:OrderHead>
      <ceb:guid>6938466A-D1FF-4769-BFCA-67D22CD8E66B</ceb:guid>
      <ceb:appType>1</ceb:appType>
      <ceb:appTime>20261130103231</ceb:appTime>
      <ceb:appStatus>2</ceb:appStatus>
      <ceb:orderType>E</ceb:orderType>
      <ceb:orderNo>LD-261130-N4PBKQ-2</ceb:orderNo>
      <ceb:ebpCode>3303960000</ceb:ebpCode>
      <ceb:ebpName>Livedock</ceb:ebpName>
      <ceb:ebcCode>91330300000000001N</ceb:ebcCode>
      <ceb:ebcName>Wenzhou Footwear Co. 1</ceb:ebcName>
      <ceb:goodsValue>86.00</ceb:goodsValue>
      <ceb:freight>20.64</ceb:freight>
      <ceb:currency>300</ceb:currency>
    </ceb:OrderHead>
    <ceb:OrderList>
      <ceb:gnum>1</ceb:gnum>
      <ceb:itemNo>SKU-00001</ceb:itemNo>
      <ceb:itemName>Leather ankle boot 1</ceb:itemName>
      <ceb:itemDescribe>Leather ankle boot 1</ceb:itemDescribe>
      <ceb:barCode>6900000000014</ceb:barCode>
      <ceb:unit>025</ceb:unit>
      <ceb:currency>300</ceb:currency>
      <ceb:qty>2</ceb:qty>
      <ceb:price>43.000</ceb:price>
      <ceb:totalPrice>86.000</ceb:totalPrice>
    </ceb:OrderList>
  </ceb:Order>
  <ceb:BaseTransfer>
    <ceb:copCode>3303960000</ceb:copCode>
    <ceb:copName>Livedock</ceb:copName>
    <ceb:dxpMode>DXP</ceb:dxpMode>
    <ceb:dxpId>DXPENT0000000000</ceb:dxpId>
  </ceb:BaseTransfer>
</ceb:CEB303Message>
', '', '{}', 'outbox/CEB303_6938466A-D1FF-4769-BFCA-67D22CD8E66B.xml', '2026-11-30 10:32:31.321409+00', '', '2026-11-30 10:32:31.31294+00', 2);


ALTER TABLE public.orders_customsdeclaration ENABLE TRIGGER ALL;

--
-- Data for Name: orders_customsfxrate; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.orders_customsfxrate DISABLE TRIGGER ALL;



ALTER TABLE public.orders_customsfxrate ENABLE TRIGGER ALL;

--
-- Data for Name: orders_declarationreceipt; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.orders_declarationreceipt DISABLE TRIGGER ALL;



ALTER TABLE public.orders_declarationreceipt ENABLE TRIGGER ALL;

--
-- Data for Name: orders_dutyrule; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.orders_dutyrule DISABLE TRIGGER ALL;

INSERT INTO public.orders_dutyrule (id, valid_from, valid_to, source, confidence, note, territory, hs_prefix, origin, scheme, kind, rate, specific_amount, specific_currency, specific_unit, additional, genders) VALUES (1, '2021-01-01', NULL, 'TARIC 6403 91 11 90 / 6403 99 91 00 third-country 8% (taric-check.com)', 'S', '', 'EU', '6403', '*', 'MFN', 'ad_valorem', 0.08000, NULL, '', '', false, '[]');
INSERT INTO public.orders_dutyrule (id, valid_from, valid_to, source, confidence, note, territory, hs_prefix, origin, scheme, kind, rate, specific_amount, specific_currency, specific_unit, additional, genders) VALUES (2, '2026-03-01', NULL, 'TARIC 6404 11 00 16.9% (celna24.com, page effective 2026-03-01)', 'S', '', 'EU', '640411', '*', 'MFN', 'ad_valorem', 0.16900, NULL, '', '', false, '[]');
INSERT INTO public.orders_dutyrule (id, valid_from, valid_to, source, confidence, note, territory, hs_prefix, origin, scheme, kind, rate, specific_amount, specific_currency, specific_unit, additional, genders) VALUES (3, '2021-01-01', NULL, 'TARIC 6402 lines 17% (examinechina.com)', 'S', '', 'EU', '6402', '*', 'MFN', 'ad_valorem', 0.17000, NULL, '', '', false, '[]');
INSERT INTO public.orders_dutyrule (id, valid_from, valid_to, source, confidence, note, territory, hs_prefix, origin, scheme, kind, rate, specific_amount, specific_currency, specific_unit, additional, genders) VALUES (4, '2021-01-01', NULL, 'About 12% commonly quoted for MMF knits; not verified', 'U', '', 'EU', '6110', '*', 'MFN', 'ad_valorem', 0.12000, NULL, '', '', false, '[]');
INSERT INTO public.orders_dutyrule (id, valid_from, valid_to, source, confidence, note, territory, hs_prefix, origin, scheme, kind, rate, specific_amount, specific_currency, specific_unit, additional, genders) VALUES (5, '2021-01-01', NULL, 'UK Global Tariff expected to mirror CET (about 8%); not verified', 'U', '', 'GB', '6403', '*', 'MFN', 'ad_valorem', 0.08000, NULL, '', '', false, '[]');
INSERT INTO public.orders_dutyrule (id, valid_from, valid_to, source, confidence, note, territory, hs_prefix, origin, scheme, kind, rate, specific_amount, specific_currency, specific_unit, additional, genders) VALUES (6, '2021-01-01', NULL, 'Assumed to mirror CET 6404 11 00; not verified', 'U', '', 'GB', '640411', '*', 'MFN', 'ad_valorem', 0.16900, NULL, '', '', false, '[]');
INSERT INTO public.orders_dutyrule (id, valid_from, valid_to, source, confidence, note, territory, hs_prefix, origin, scheme, kind, rate, specific_amount, specific_currency, specific_unit, additional, genders) VALUES (7, '2021-01-01', NULL, 'About 12% commonly quoted; not verified', 'U', '', 'GB', '6110', '*', 'MFN', 'ad_valorem', 0.12000, NULL, '', '', false, '[]');
INSERT INTO public.orders_dutyrule (id, valid_from, valid_to, source, confidence, note, territory, hs_prefix, origin, scheme, kind, rate, specific_amount, specific_currency, specific_unit, additional, genders) VALUES (8, '2020-01-01', NULL, 'HTSUS 6403.91.60 8.5% (portoria.app)', 'S', '', 'US', '640391', '*', 'MFN', 'ad_valorem', 0.08500, NULL, '', '', false, '["men", "boys"]');
INSERT INTO public.orders_dutyrule (id, valid_from, valid_to, source, confidence, note, territory, hs_prefix, origin, scheme, kind, rate, specific_amount, specific_currency, specific_unit, additional, genders) VALUES (9, '2020-01-01', NULL, 'HTSUS 6403.91.90 10% (etoolsage, analogous 6403.51.90)', 'U', '', 'US', '640391', '*', 'MFN', 'ad_valorem', 0.10000, NULL, '', '', false, '["women", "girls", "unisex"]');
INSERT INTO public.orders_dutyrule (id, valid_from, valid_to, source, confidence, note, territory, hs_prefix, origin, scheme, kind, rate, specific_amount, specific_currency, specific_unit, additional, genders) VALUES (10, '2020-01-01', NULL, 'HTSUS 6403 other persons, 10% assumed; look up the 10-digit line', 'U', '', 'US', '6403', '*', 'MFN', 'ad_valorem', 0.10000, NULL, '', '', false, '[]');
INSERT INTO public.orders_dutyrule (id, valid_from, valid_to, source, confidence, note, territory, hs_prefix, origin, scheme, kind, rate, specific_amount, specific_currency, specific_unit, additional, genders) VALUES (11, '2020-01-01', NULL, 'HTSUS 6404.19.90 9% (etoolsage)', 'S', '', 'US', '6404', '*', 'MFN', 'ad_valorem', 0.09000, NULL, '', '', false, '[]');
INSERT INTO public.orders_dutyrule (id, valid_from, valid_to, source, confidence, note, territory, hs_prefix, origin, scheme, kind, rate, specific_amount, specific_currency, specific_unit, additional, genders) VALUES (12, '2020-02-14', NULL, 'Section 301 List 4A 7.5% on covered Chinese goods; coverage of these lines unverified', 'U', '', 'US', '64', 'CN', 'MFN', 'ad_valorem', 0.07500, NULL, '', '', true, '[]');
INSERT INTO public.orders_dutyrule (id, valid_from, valid_to, source, confidence, note, territory, hs_prefix, origin, scheme, kind, rate, specific_amount, specific_currency, specific_unit, additional, genders) VALUES (13, '2000-01-01', NULL, 'Japan leather footwear out of quota: 30% or JPY 4,300/pair, whichever is greater (MIPRO)', 'S', '', 'JP', '6403', '*', 'MFN', 'max_of', 0.30000, 4300.00, 'JPY', 'pair', false, '[]');
INSERT INTO public.orders_dutyrule (id, valid_from, valid_to, source, confidence, note, territory, hs_prefix, origin, scheme, kind, rate, specific_amount, specific_currency, specific_unit, additional, genders) VALUES (14, '2000-01-01', NULL, 'Japan WTO 8% for 6402.91 (tsukanshi.com/hscode/code/11124)', 'C', '', 'JP', '640291', '*', 'MFN', 'ad_valorem', 0.08000, NULL, '', '', false, '[]');
INSERT INTO public.orders_dutyrule (id, valid_from, valid_to, source, confidence, note, territory, hs_prefix, origin, scheme, kind, rate, specific_amount, specific_currency, specific_unit, additional, genders) VALUES (15, '2026-04-01', '2027-04-01', 'China-RCEP FY2026 8% x 14/20, computed from the 2022 schedule; read the published rate', 'I', '', 'JP', '640291', 'CN', 'RCEP', 'ad_valorem', 0.05600, NULL, '', '', false, '[]');
INSERT INTO public.orders_dutyrule (id, valid_from, valid_to, source, confidence, note, territory, hs_prefix, origin, scheme, kind, rate, specific_amount, specific_currency, specific_unit, additional, genders) VALUES (16, '2000-01-01', NULL, 'Japan WTO 10.9% (6101 knitted coats, htshub); 6110 not checked', 'U', '', 'JP', '6110', '*', 'MFN', 'ad_valorem', 0.10900, NULL, '', '', false, '[]');
INSERT INTO public.orders_dutyrule (id, valid_from, valid_to, source, confidence, note, territory, hs_prefix, origin, scheme, kind, rate, specific_amount, specific_currency, specific_unit, additional, genders) VALUES (17, '2026-04-01', '2027-04-01', 'China-RCEP FY2026 10.9% x 10/16 (kanzei.or.jp staging); read the published rate', 'I', '', 'JP', '6110', 'CN', 'RCEP', 'ad_valorem', 0.06800, NULL, '', '', false, '[]');
INSERT INTO public.orders_dutyrule (id, valid_from, valid_to, source, confidence, note, territory, hs_prefix, origin, scheme, kind, rate, specific_amount, specific_currency, specific_unit, additional, genders) VALUES (18, '2000-01-01', NULL, 'About 13% commonly quoted; not verified', 'U', '', 'KR', '64', '*', 'MFN', 'ad_valorem', 0.13000, NULL, '', '', false, '[]');
INSERT INTO public.orders_dutyrule (id, valid_from, valid_to, source, confidence, note, territory, hs_prefix, origin, scheme, kind, rate, specific_amount, specific_currency, specific_unit, additional, genders) VALUES (19, '2000-01-01', NULL, 'About 13% commonly quoted; not verified', 'U', '', 'KR', '61', '*', 'MFN', 'ad_valorem', 0.13000, NULL, '', '', false, '[]');
INSERT INTO public.orders_dutyrule (id, valid_from, valid_to, source, confidence, note, territory, hs_prefix, origin, scheme, kind, rate, specific_amount, specific_currency, specific_unit, additional, genders) VALUES (20, '2000-01-01', NULL, 'Footwear 5% general rate commonly quoted; ChAFTA preference not applied', 'U', '', 'AU', '64', '*', 'MFN', 'ad_valorem', 0.05000, NULL, '', '', false, '[]');
INSERT INTO public.orders_dutyrule (id, valid_from, valid_to, source, confidence, note, territory, hs_prefix, origin, scheme, kind, rate, specific_amount, specific_currency, specific_unit, additional, genders) VALUES (21, '2000-01-01', NULL, 'Singapore levies no customs duty on footwear (duty only on liquor, tobacco, motor vehicles, petroleum); verify', 'U', '', 'SG', '64', '*', 'MFN', 'ad_valorem', 0.00000, NULL, '', '', false, '[]');
INSERT INTO public.orders_dutyrule (id, valid_from, valid_to, source, confidence, note, territory, hs_prefix, origin, scheme, kind, rate, specific_amount, specific_currency, specific_unit, additional, genders) VALUES (22, '2000-01-01', NULL, 'Singapore levies no customs duty on apparel; verify', 'U', '', 'SG', '61', '*', 'MFN', 'ad_valorem', 0.00000, NULL, '', '', false, '[]');


ALTER TABLE public.orders_dutyrule ENABLE TRIGGER ALL;

--
-- Data for Name: shop_stocklevel; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.shop_stocklevel DISABLE TRIGGER ALL;

INSERT INTO public.shop_stocklevel (id, on_hand, reserved, updated_at, variant_id, warehouse_id) VALUES (1, 20, 2, '2026-11-30 10:32:31.339803+00', 1, 1);
INSERT INTO public.shop_stocklevel (id, on_hand, reserved, updated_at, variant_id, warehouse_id) VALUES (2, 20, 3, '2026-11-30 10:32:31.442+00', 2, 2);


ALTER TABLE public.shop_stocklevel ENABLE TRIGGER ALL;

--
-- Data for Name: orders_orderline; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.orders_orderline DISABLE TRIGGER ALL;

INSERT INTO public.orders_orderline (id, sku, product_name, product_name_zh, size_label, colour, gtin, quantity, unit_price, line_total, currency, list_price, list_currency, fx_rate, fx_source, fx_as_of, hs_code, cn_commodity_code, declaration_elements, origin_country, legal_unit1, legal_unit2, net_weight_kg, gross_weight_kg, upper_material, outer_sole_material, covers_ankle, reservation_released, manufacturer_id, order_id, stock_level_id, variant_id, shipment_id, host_commission_rate, refunded_quantity, gender, rcep_origin_country, rcep_origin_criterion, deal_id) VALUES (1, 'SKU-00000', 'Leather ankle boot 0', '', '42', 'black', '6900000000007', 1, 86.000, 86.000, 'EUR', 100.000, 'USD', 0.8600000000, 'test rates (USD/EUR 2026-11-20)', '2026-11-20', '640391', '6403911900', '0|0|包脚踝|牛皮|橡胶|品牌|款号', 'CN', '025', '035', 0.900, 1.200, 'leather', 'rubber_plastics', true, false, 1, 1, 1, 1, 1, 0.0000, 0, 'unisex', '', '', NULL);
INSERT INTO public.orders_orderline (id, sku, product_name, product_name_zh, size_label, colour, gtin, quantity, unit_price, line_total, currency, list_price, list_currency, fx_rate, fx_source, fx_as_of, hs_code, cn_commodity_code, declaration_elements, origin_country, legal_unit1, legal_unit2, net_weight_kg, gross_weight_kg, upper_material, outer_sole_material, covers_ankle, reservation_released, manufacturer_id, order_id, stock_level_id, variant_id, shipment_id, host_commission_rate, refunded_quantity, gender, rcep_origin_country, rcep_origin_criterion, deal_id) VALUES (2, 'SKU-00001', 'Leather ankle boot 1', '', '42', 'black', '6900000000014', 2, 43.000, 86.000, 'EUR', 50.000, 'USD', 0.8600000000, 'test rates (USD/EUR 2026-11-20)', '2026-11-20', '640391', '6403911900', '0|0|包脚踝|牛皮|橡胶|品牌|款号', 'CN', '025', '035', 0.900, 1.200, 'leather', 'rubber_plastics', true, false, 2, 1, 2, 2, 2, 0.0000, 0, 'unisex', '', '', NULL);
INSERT INTO public.orders_orderline (id, sku, product_name, product_name_zh, size_label, colour, gtin, quantity, unit_price, line_total, currency, list_price, list_currency, fx_rate, fx_source, fx_as_of, hs_code, cn_commodity_code, declaration_elements, origin_country, legal_unit1, legal_unit2, net_weight_kg, gross_weight_kg, upper_material, outer_sole_material, covers_ankle, reservation_released, manufacturer_id, order_id, stock_level_id, variant_id, shipment_id, host_commission_rate, refunded_quantity, gender, rcep_origin_country, rcep_origin_criterion, deal_id) VALUES (3, 'SKU-00000', 'Leather ankle boot 0', '', '42', 'black', '6900000000007', 2, 86.000, 172.000, 'EUR', 100.000, 'USD', 0.8600000000, 'test rates (USD/EUR 2026-11-20)', '2026-11-20', '640391', '6403911900', '0|0|包脚踝|牛皮|橡胶|品牌|款号', 'CN', '025', '035', 0.900, 1.200, 'leather', 'rubber_plastics', true, false, 1, 2, 1, 1, 3, 0.0000, 1, 'unisex', '', '', NULL);
INSERT INTO public.orders_orderline (id, sku, product_name, product_name_zh, size_label, colour, gtin, quantity, unit_price, line_total, currency, list_price, list_currency, fx_rate, fx_source, fx_as_of, hs_code, cn_commodity_code, declaration_elements, origin_country, legal_unit1, legal_unit2, net_weight_kg, gross_weight_kg, upper_material, outer_sole_material, covers_ankle, reservation_released, manufacturer_id, order_id, stock_level_id, variant_id, shipment_id, host_commission_rate, refunded_quantity, gender, rcep_origin_country, rcep_origin_criterion, deal_id) VALUES (4, 'SKU-00001', 'Leather ankle boot 1', '', '42', 'black', '6900000000014', 1, 43.000, 43.000, 'EUR', 50.000, 'USD', 0.8600000000, 'test rates (USD/EUR 2026-11-20)', '2026-11-20', '640391', '6403911900', '0|0|包脚踝|牛皮|橡胶|品牌|款号', 'CN', '025', '035', 0.900, 1.200, 'leather', 'rubber_plastics', true, false, 2, 3, 2, 2, 4, 0.0000, 0, 'unisex', '', '', NULL);


ALTER TABLE public.orders_orderline ENABLE TRIGGER ALL;

--
-- Data for Name: orders_fitreport; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.orders_fitreport DISABLE TRIGGER ALL;

INSERT INTO public.orders_fitreport (id, verdict, created_at, order_line_id, product_id) VALUES (1, 'too_small', '2026-11-30 10:32:31.406323+00', 3, 1);


ALTER TABLE public.orders_fitreport ENABLE TRIGGER ALL;

--
-- Data for Name: orders_footprofile; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.orders_footprofile DISABLE TRIGGER ALL;

INSERT INTO public.orders_footprofile (id, name, gender, left_length_mm, right_length_mm, left_girth_mm, right_girth_mm, method, measured_on, created_at, buyer_id) VALUES (1, 'Me', 'men', 265, 266, NULL, NULL, 'tape', '2026-11-30', '2026-11-30 10:32:31.468542+00', 1);


ALTER TABLE public.orders_footprofile ENABLE TRIGGER ALL;

--
-- Data for Name: orders_idempotencyrecord; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.orders_idempotencyrecord DISABLE TRIGGER ALL;

INSERT INTO public.orders_idempotencyrecord (id, scope, key, request_hash, resource_id, created_at, user_id) VALUES (1, 'checkout', 'presplit-order-1', 'h', 1, '2026-11-30 10:32:31.138666+00', 1);
INSERT INTO public.orders_idempotencyrecord (id, scope, key, request_hash, resource_id, created_at, user_id) VALUES (2, 'checkout', 'presplit-order-2', 'h', 2, '2026-11-30 10:32:31.339803+00', 2);
INSERT INTO public.orders_idempotencyrecord (id, scope, key, request_hash, resource_id, created_at, user_id) VALUES (3, 'checkout', 'presplit-unpaid', 'h', 3, '2026-11-30 10:32:31.442+00', 3);


ALTER TABLE public.orders_idempotencyrecord ENABLE TRIGGER ALL;

--
-- Data for Name: orders_importregime; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.orders_importregime DISABLE TRIGGER ALL;

INSERT INTO public.orders_importregime (id, valid_from, valid_to, source, confidence, note, territory, code, threshold_amount, threshold_currency, threshold_basis, value_basis, duty_mode, flat_duty_amount, flat_duty_currency, vat_base, collection, excluded_hs_prefixes, rounding, currency) VALUES (1, '2021-07-01', '2026-07-01', 'VAT e-commerce package 2021-07-01 (vatcompliance.co; dpd.com; AEAT H7 manual), per customs spec 2.2', 'C', '', 'EU', 'EU_IOSS', 150.00, 'EUR', 'intrinsic', 'CIF', 'relief', NULL, '', 'sale_price', 'DDP', '[]', 'half_up', 'EUR');
INSERT INTO public.orders_importregime (id, valid_from, valid_to, source, confidence, note, territory, code, threshold_amount, threshold_currency, threshold_basis, value_basis, duty_mode, flat_duty_amount, flat_duty_currency, vat_base, collection, excluded_hs_prefixes, rounding, currency) VALUES (2, '2026-07-01', '2028-07-01', 'Council Reg. (EU) 2026/382; Delegated Reg. (EU) 2026/1022, EUR 3 per distinct subheading from 2026-07-01 (Baker McKenzie 2026-06-26/07-02), customs spec 2.2', 'S', 'Scope conflict [X]: IOSS-only vs all B2C <= EUR 150; both give EUR 3 for our IOSS parcels (spec decision: reading B).', 'EU', 'EU_IOSS_FLAT_DUTY', 150.00, 'EUR', 'intrinsic', 'CIF', 'flat_per_subheading', 3.00, 'EUR', 'sale_price', 'DDP', '[]', 'half_up', 'EUR');
INSERT INTO public.orders_importregime (id, valid_from, valid_to, source, confidence, note, territory, code, threshold_amount, threshold_currency, threshold_basis, value_basis, duty_mode, flat_duty_amount, flat_duty_currency, vat_base, collection, excluded_hs_prefixes, rounding, currency) VALUES (3, '2021-07-01', NULL, 'VAT e-commerce package 2021-07-01 (vatcompliance.co; dpd.com; AEAT H7 manual), per customs spec 2.2', 'S', '', 'EU', 'EU_IMPORT', NULL, '', '', 'CIF', 'rules', NULL, '', 'cv_plus_duty', 'DDP', '[]', 'half_up', 'EUR');
INSERT INTO public.orders_importregime (id, valid_from, valid_to, source, confidence, note, territory, code, threshold_amount, threshold_currency, threshold_basis, value_basis, duty_mode, flat_duty_amount, flat_duty_currency, vat_base, collection, excluded_hs_prefixes, rounding, currency) VALUES (4, '2021-01-01', NULL, 'UK low-value rules since 2021-01-01 (gov.uk guidance via brexitlegal.ie, brisan), customs spec 2.3', 'S', 'Duty relief to end by March 2029 at the latest (Budget 2025-11-26): add a dated row when the date is set.', 'GB', 'UK_LOW_VALUE', 135.00, 'GBP', 'intrinsic', 'CIF', 'relief', NULL, '', 'sale_price', 'DDP', '[]', 'half_up', 'GBP');
INSERT INTO public.orders_importregime (id, valid_from, valid_to, source, confidence, note, territory, code, threshold_amount, threshold_currency, threshold_basis, value_basis, duty_mode, flat_duty_amount, flat_duty_currency, vat_base, collection, excluded_hs_prefixes, rounding, currency) VALUES (5, '2021-01-01', NULL, 'UK low-value rules since 2021-01-01 (gov.uk guidance via brexitlegal.ie, brisan), customs spec 2.3', 'S', '', 'GB', 'UK_IMPORT', NULL, '', '', 'CIF', 'rules', NULL, '', 'cv_plus_duty', 'DDP', '[]', 'half_up', 'GBP');
INSERT INTO public.orders_importregime (id, valid_from, valid_to, source, confidence, note, territory, code, threshold_amount, threshold_currency, threshold_basis, value_basis, duty_mode, flat_duty_amount, flat_duty_currency, vat_base, collection, excluded_hs_prefixes, rounding, currency) VALUES (6, '2025-08-29', NULL, 'De minimis suspended for all countries 2025-08-29 (EO 14324; govinfo HD 119-85), customs spec 2.4', 'S', 'State sales tax not researched [U].', 'US', 'US_NONE', NULL, '', '', 'FOB', 'rules', NULL, '', 'none', 'DDP', '[]', 'half_up', 'USD');
INSERT INTO public.orders_importregime (id, valid_from, valid_to, source, confidence, note, territory, code, threshold_amount, threshold_currency, threshold_basis, value_basis, duty_mode, flat_duty_amount, flat_duty_currency, vat_base, collection, excluded_hs_prefixes, rounding, currency) VALUES (7, '2000-01-01', NULL, 'Customs Tariff Rate Act art. 14(18); Cabinet Order art. 16-3 exclusions (hunade.com, katosatoshi.jp); Customs Answer 1111 rounding, customs spec 2.5', 'S', '', 'JP', 'JP_SMALL_VALUE', 10000.00, 'JPY', 'customs_value', 'CIF', 'relief', NULL, '', 'none', 'DDP', '["64", "61", "4202", "4203"]', 'jp_customs', 'JPY');
INSERT INTO public.orders_importregime (id, valid_from, valid_to, source, confidence, note, territory, code, threshold_amount, threshold_currency, threshold_basis, value_basis, duty_mode, flat_duty_amount, flat_duty_currency, vat_base, collection, excluded_hs_prefixes, rounding, currency) VALUES (8, '2000-01-01', NULL, 'Customs Tariff Rate Act art. 14(18); Cabinet Order art. 16-3 exclusions (hunade.com, katosatoshi.jp); Customs Answer 1111 rounding, customs spec 2.5', 'C', '', 'JP', 'JP_IMPORT', NULL, '', '', 'CIF', 'rules', NULL, '', 'cv_plus_duty', 'DDP', '[]', 'jp_customs', 'JPY');
INSERT INTO public.orders_importregime (id, valid_from, valid_to, source, confidence, note, territory, code, threshold_amount, threshold_currency, threshold_basis, value_basis, duty_mode, flat_duty_amount, flat_duty_currency, vat_base, collection, excluded_hs_prefixes, rounding, currency) VALUES (9, '2000-01-01', NULL, 'List clearance USD 150 (krutils.com, bal.pe.kr), customs spec 2.1', 'U', 'Whether freight counts toward USD 150 is unverified [U]; intrinsic value is assumed.', 'KR', 'KR_LIST', 150.00, 'USD', 'intrinsic', 'CIF', 'relief', NULL, '', 'none', 'DDP', '[]', 'half_up', 'KRW');
INSERT INTO public.orders_importregime (id, valid_from, valid_to, source, confidence, note, territory, code, threshold_amount, threshold_currency, threshold_basis, value_basis, duty_mode, flat_duty_amount, flat_duty_currency, vat_base, collection, excluded_hs_prefixes, rounding, currency) VALUES (10, '2000-01-01', NULL, 'List clearance USD 150 (krutils.com, bal.pe.kr), customs spec 2.1', 'S', '', 'KR', 'KR_IMPORT', NULL, '', '', 'CIF', 'rules', NULL, '', 'cv_plus_duty', 'DDP', '[]', 'half_up', 'KRW');
INSERT INTO public.orders_importregime (id, valid_from, valid_to, source, confidence, note, territory, code, threshold_amount, threshold_currency, threshold_basis, value_basis, duty_mode, flat_duty_amount, flat_duty_currency, vat_base, collection, excluded_hs_prefixes, rounding, currency) VALUES (11, '2018-07-01', NULL, 'GST on low-value goods <= AUD 1,000 since 2018-07-01 (homeaffairs archive, paccon), customs spec 2.1', 'S', '', 'AU', 'AU_LVG', 1000.00, 'AUD', 'intrinsic', 'FOB', 'relief', NULL, '', 'sale_price', 'DDP', '[]', 'half_up', 'AUD');
INSERT INTO public.orders_importregime (id, valid_from, valid_to, source, confidence, note, territory, code, threshold_amount, threshold_currency, threshold_basis, value_basis, duty_mode, flat_duty_amount, flat_duty_currency, vat_base, collection, excluded_hs_prefixes, rounding, currency) VALUES (12, '2018-07-01', NULL, 'GST on low-value goods <= AUD 1,000 since 2018-07-01 (homeaffairs archive, paccon), customs spec 2.1', 'U', 'GST base on imports above AUD 1,000 (freight, insurance) not researched [U].', 'AU', 'AU_IMPORT', NULL, '', '', 'FOB', 'rules', NULL, '', 'cv_plus_duty', 'DDP', '[]', 'half_up', 'AUD');
INSERT INTO public.orders_importregime (id, valid_from, valid_to, source, confidence, note, territory, code, threshold_amount, threshold_currency, threshold_basis, value_basis, duty_mode, flat_duty_amount, flat_duty_currency, vat_base, collection, excluded_hs_prefixes, rounding, currency) VALUES (13, '2020-07-01', NULL, 'CBSA courier LVS CAD 20 for non-CUSMA origin (cbsa-asfc.gc.ca lvs-efv), customs spec 2.1', 'C', '', 'CA', 'CA_LVS', 20.00, 'CAD', 'intrinsic', 'FOB', 'relief', NULL, '', 'none', 'DDP', '[]', 'half_up', 'CAD');
INSERT INTO public.orders_importregime (id, valid_from, valid_to, source, confidence, note, territory, code, threshold_amount, threshold_currency, threshold_basis, value_basis, duty_mode, flat_duty_amount, flat_duty_currency, vat_base, collection, excluded_hs_prefixes, rounding, currency) VALUES (14, '2020-07-01', NULL, 'CBSA courier LVS CAD 20 for non-CUSMA origin (cbsa-asfc.gc.ca lvs-efv), customs spec 2.1', 'U', 'Duty rates and provincial taxes not researched [U].', 'CA', 'CA_IMPORT', NULL, '', '', 'FOB', 'rules', NULL, '', 'cv_plus_duty', 'DDP', '[]', 'half_up', 'CAD');
INSERT INTO public.orders_importregime (id, valid_from, valid_to, source, confidence, note, territory, code, threshold_amount, threshold_currency, threshold_basis, value_basis, duty_mode, flat_duty_amount, flat_duty_currency, vat_base, collection, excluded_hs_prefixes, rounding, currency) VALUES (15, '2023-01-01', NULL, 'GST on imported LVG <= SGD 400 from 2023-01-01 (sovos, avalara), customs spec 2.1', 'S', '', 'SG', 'SG_LVG', 400.00, 'SGD', 'intrinsic', 'CIF', 'relief', NULL, '', 'sale_price', 'DDP', '[]', 'half_up', 'SGD');
INSERT INTO public.orders_importregime (id, valid_from, valid_to, source, confidence, note, territory, code, threshold_amount, threshold_currency, threshold_basis, value_basis, duty_mode, flat_duty_amount, flat_duty_currency, vat_base, collection, excluded_hs_prefixes, rounding, currency) VALUES (16, '2023-01-01', NULL, 'GST on imported LVG <= SGD 400 from 2023-01-01 (sovos, avalara), customs spec 2.1', 'S', '', 'SG', 'SG_IMPORT', NULL, '', '', 'CIF', 'rules', NULL, '', 'cv_plus_duty', 'DDP', '[]', 'half_up', 'SGD');


ALTER TABLE public.orders_importregime ENABLE TRIGGER ALL;

--
-- Data for Name: orders_ledgerentry; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.orders_ledgerentry DISABLE TRIGGER ALL;

INSERT INTO public.orders_ledgerentry (id, kind, host_id, amount, currency, stripe_object_id, memo, created_at, manufacturer_id, order_id) VALUES (1, 'charge', NULL, 274.100, 'EUR', 'ch_SW36eU7pxy82ia', 'Card payment', '2026-11-30 10:32:31.228674+00', NULL, 1);
INSERT INTO public.orders_ledgerentry (id, kind, host_id, amount, currency, stripe_object_id, memo, created_at, manufacturer_id, order_id) VALUES (2, 'manufacturer_payable', NULL, 79.120, 'EUR', 'pi_3soHCoidKWgjKW', 'Allocation of the charge', '2026-11-30 10:32:31.228704+00', 1, 1);
INSERT INTO public.orders_ledgerentry (id, kind, host_id, amount, currency, stripe_object_id, memo, created_at, manufacturer_id, order_id) VALUES (3, 'platform_fee', NULL, 6.880, 'EUR', 'pi_3soHCoidKWgjKW', 'Allocation of the charge', '2026-11-30 10:32:31.228717+00', 1, 1);
INSERT INTO public.orders_ledgerentry (id, kind, host_id, amount, currency, stripe_object_id, memo, created_at, manufacturer_id, order_id) VALUES (4, 'manufacturer_payable', NULL, 79.120, 'EUR', 'pi_3soHCoidKWgjKW', 'Allocation of the charge', '2026-11-30 10:32:31.22873+00', 2, 1);
INSERT INTO public.orders_ledgerentry (id, kind, host_id, amount, currency, stripe_object_id, memo, created_at, manufacturer_id, order_id) VALUES (5, 'platform_fee', NULL, 6.880, 'EUR', 'pi_3soHCoidKWgjKW', 'Allocation of the charge', '2026-11-30 10:32:31.228742+00', 2, 1);
INSERT INTO public.orders_ledgerentry (id, kind, host_id, amount, currency, stripe_object_id, memo, created_at, manufacturer_id, order_id) VALUES (6, 'duties_taxes', NULL, 60.820, 'EUR', 'pi_3soHCoidKWgjKW', 'Allocation of the charge', '2026-11-30 10:32:31.228754+00', NULL, 1);
INSERT INTO public.orders_ledgerentry (id, kind, host_id, amount, currency, stripe_object_id, memo, created_at, manufacturer_id, order_id) VALUES (7, 'shipping', NULL, 41.280, 'EUR', 'pi_3soHCoidKWgjKW', 'Allocation of the charge', '2026-11-30 10:32:31.228765+00', NULL, 1);
INSERT INTO public.orders_ledgerentry (id, kind, host_id, amount, currency, stripe_object_id, memo, created_at, manufacturer_id, order_id) VALUES (8, 'charge', NULL, 250.900, 'EUR', 'ch_1bLc3UUYnIzlPi', 'Card payment', '2026-11-30 10:32:31.389799+00', NULL, 2);
INSERT INTO public.orders_ledgerentry (id, kind, host_id, amount, currency, stripe_object_id, memo, created_at, manufacturer_id, order_id) VALUES (9, 'manufacturer_payable', NULL, 158.240, 'EUR', 'pi_wletH02rLKsH9o', 'Allocation of the charge', '2026-11-30 10:32:31.38982+00', 1, 2);
INSERT INTO public.orders_ledgerentry (id, kind, host_id, amount, currency, stripe_object_id, memo, created_at, manufacturer_id, order_id) VALUES (10, 'platform_fee', NULL, 13.760, 'EUR', 'pi_wletH02rLKsH9o', 'Allocation of the charge', '2026-11-30 10:32:31.389833+00', 1, 2);
INSERT INTO public.orders_ledgerentry (id, kind, host_id, amount, currency, stripe_object_id, memo, created_at, manufacturer_id, order_id) VALUES (11, 'duties_taxes', NULL, 55.680, 'EUR', 'pi_wletH02rLKsH9o', 'Allocation of the charge', '2026-11-30 10:32:31.389844+00', NULL, 2);
INSERT INTO public.orders_ledgerentry (id, kind, host_id, amount, currency, stripe_object_id, memo, created_at, manufacturer_id, order_id) VALUES (12, 'shipping', NULL, 23.220, 'EUR', 'pi_wletH02rLKsH9o', 'Allocation of the charge', '2026-11-30 10:32:31.389855+00', NULL, 2);
INSERT INTO public.orders_ledgerentry (id, kind, host_id, amount, currency, stripe_object_id, memo, created_at, manufacturer_id, order_id) VALUES (13, 'refund', NULL, -86.000, 'EUR', 're_OZz2GmeDRn0M6C', 'Too small', '2026-11-30 10:32:31.420835+00', NULL, 2);
INSERT INTO public.orders_ledgerentry (id, kind, host_id, amount, currency, stripe_object_id, memo, created_at, manufacturer_id, order_id) VALUES (14, 'manufacturer_payable', NULL, -79.120, 'EUR', 're_OZz2GmeDRn0M6C', 'Refund', '2026-11-30 10:32:31.420857+00', 1, 2);
INSERT INTO public.orders_ledgerentry (id, kind, host_id, amount, currency, stripe_object_id, memo, created_at, manufacturer_id, order_id) VALUES (15, 'platform_fee', NULL, -6.880, 'EUR', 're_OZz2GmeDRn0M6C', 'Refund', '2026-11-30 10:32:31.42087+00', 1, 2);


ALTER TABLE public.orders_ledgerentry ENABLE TRIGGER ALL;

--
-- Data for Name: orders_orderevent; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.orders_orderevent DISABLE TRIGGER ALL;

INSERT INTO public.orders_orderevent (id, from_status, to_status, actor_kind, note, created_at, actor_id, order_id) VALUES (1, '', 'pending_payment', 'buyer', 'Order placed.', '2026-11-30 10:32:31.168594+00', 1, 1);
INSERT INTO public.orders_orderevent (id, from_status, to_status, actor_kind, note, created_at, actor_id, order_id) VALUES (2, 'pending_payment', 'paid', 'system', 'PaymentIntent pi_3soHCoidKWgjKW succeeded.', '2026-11-30 10:32:31.225111+00', NULL, 1);
INSERT INTO public.orders_orderevent (id, from_status, to_status, actor_kind, note, created_at, actor_id, order_id) VALUES (3, '', 'pending_payment', 'buyer', 'Order placed.', '2026-11-30 10:32:31.359742+00', 2, 2);
INSERT INTO public.orders_orderevent (id, from_status, to_status, actor_kind, note, created_at, actor_id, order_id) VALUES (4, 'pending_payment', 'paid', 'system', 'PaymentIntent pi_wletH02rLKsH9o succeeded.', '2026-11-30 10:32:31.387146+00', NULL, 2);
INSERT INTO public.orders_orderevent (id, from_status, to_status, actor_kind, note, created_at, actor_id, order_id) VALUES (5, 'paid', 'partially_refunded', 'system', 'Refund 1: Too small', '2026-11-30 10:32:31.424034+00', NULL, 2);
INSERT INTO public.orders_orderevent (id, from_status, to_status, actor_kind, note, created_at, actor_id, order_id) VALUES (6, '', 'pending_payment', 'buyer', 'Order placed.', '2026-11-30 10:32:31.464559+00', 3, 3);


ALTER TABLE public.orders_orderevent ENABLE TRIGGER ALL;

--
-- Data for Name: orders_payment; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.orders_payment DISABLE TRIGGER ALL;

INSERT INTO public.orders_payment (id, status, amount, currency, amount_minor, idempotency_key, intent_id, client_secret, charge_id, last_error, succeeded_at, created_at, updated_at, order_id, captured_amount) VALUES (1, 'succeeded', 274.100, 'EUR', 27410, 'order:1:payment-intent:v1', 'pi_3soHCoidKWgjKW', 'pi_3soHCoidKWgjKW_secret_egL7TKrEcGPk2mZJ', 'ch_SW36eU7pxy82ia', '', '2026-11-30 10:32:31.222695+00', '2026-11-30 10:32:31.177748+00', '2026-11-30 10:32:31.22276+00', 1, 274.100);
INSERT INTO public.orders_payment (id, status, amount, currency, amount_minor, idempotency_key, intent_id, client_secret, charge_id, last_error, succeeded_at, created_at, updated_at, order_id, captured_amount) VALUES (2, 'succeeded', 250.900, 'EUR', 25090, 'order:2:payment-intent:v1', 'pi_wletH02rLKsH9o', 'pi_wletH02rLKsH9o_secret_6ydtKdMnIMwV9hlz', 'ch_1bLc3UUYnIzlPi', '', '2026-11-30 10:32:31.38497+00', '2026-11-30 10:32:31.364647+00', '2026-11-30 10:32:31.38503+00', 2, 250.900);


ALTER TABLE public.orders_payment ENABLE TRIGGER ALL;

--
-- Data for Name: orders_payout; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.orders_payout DISABLE TRIGGER ALL;

INSERT INTO public.orders_payout (id, recipient_kind, host_id, destination_account, amount, currency, amount_minor, reversed_amount, status, idempotency_key, stripe_transfer_id, error, created_at, paid_at, manufacturer_id, order_id) VALUES (1, 'manufacturer', NULL, 'acct_maker_a', 79.120, 'EUR', 7912, 0.000, 'pending', 'order:2:payout:manufacturer:1', '', '', '2026-11-30 10:32:31.475475+00', NULL, 1, 2);
INSERT INTO public.orders_payout (id, recipient_kind, host_id, destination_account, amount, currency, amount_minor, reversed_amount, status, idempotency_key, stripe_transfer_id, error, created_at, paid_at, manufacturer_id, order_id) VALUES (2, 'manufacturer', NULL, 'acct_maker_a', 79.120, 'EUR', 7912, 0.000, 'pending', 'order:1:payout:manufacturer:1', '', '', '2026-11-30 10:32:31.482213+00', NULL, 1, 1);
INSERT INTO public.orders_payout (id, recipient_kind, host_id, destination_account, amount, currency, amount_minor, reversed_amount, status, idempotency_key, stripe_transfer_id, error, created_at, paid_at, manufacturer_id, order_id) VALUES (3, 'manufacturer', NULL, '', 79.120, 'EUR', 7912, 0.000, 'awaiting_account', 'order:1:payout:manufacturer:2', '', '', '2026-11-30 10:32:31.484092+00', NULL, 2, 1);


ALTER TABLE public.orders_payout ENABLE TRIGGER ALL;

--
-- Data for Name: orders_payoutevent; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.orders_payoutevent DISABLE TRIGGER ALL;

INSERT INTO public.orders_payoutevent (pgh_id, pgh_created_at, pgh_label, id, recipient_kind, host_id, destination_account, amount, currency, amount_minor, reversed_amount, status, idempotency_key, stripe_transfer_id, error, created_at, paid_at, manufacturer_id, order_id, pgh_context_id, pgh_obj_id) VALUES (1, '2026-11-30 10:32:31.474574+00', 'insert', 1, 'manufacturer', NULL, 'acct_maker_a', 79.120, 'EUR', 7912, 0.000, 'pending', 'order:2:payout:manufacturer:1', '', '', '2026-11-30 10:32:31.475475+00', NULL, 1, 2, NULL, 1);
INSERT INTO public.orders_payoutevent (pgh_id, pgh_created_at, pgh_label, id, recipient_kind, host_id, destination_account, amount, currency, amount_minor, reversed_amount, status, idempotency_key, stripe_transfer_id, error, created_at, paid_at, manufacturer_id, order_id, pgh_context_id, pgh_obj_id) VALUES (2, '2026-11-30 10:32:31.481479+00', 'insert', 2, 'manufacturer', NULL, 'acct_maker_a', 79.120, 'EUR', 7912, 0.000, 'pending', 'order:1:payout:manufacturer:1', '', '', '2026-11-30 10:32:31.482213+00', NULL, 1, 1, NULL, 2);
INSERT INTO public.orders_payoutevent (pgh_id, pgh_created_at, pgh_label, id, recipient_kind, host_id, destination_account, amount, currency, amount_minor, reversed_amount, status, idempotency_key, stripe_transfer_id, error, created_at, paid_at, manufacturer_id, order_id, pgh_context_id, pgh_obj_id) VALUES (3, '2026-11-30 10:32:31.481479+00', 'insert', 3, 'manufacturer', NULL, '', 79.120, 'EUR', 7912, 0.000, 'awaiting_account', 'order:1:payout:manufacturer:2', '', '', '2026-11-30 10:32:31.484092+00', NULL, 2, 1, NULL, 3);


ALTER TABLE public.orders_payoutevent ENABLE TRIGGER ALL;

--
-- Data for Name: orders_refund; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.orders_refund DISABLE TRIGGER ALL;

INSERT INTO public.orders_refund (id, amount, currency, amount_minor, reason, status, idempotency_key, stripe_refund_id, error, created_at, completed_at, order_id, payment_id, requested_by_id) VALUES (1, 86.000, 'EUR', 8600, 'Too small', 'succeeded', 'order:2:refund:3edaa2ed21cf4ce98d3b238ce813c3a2', 're_OZz2GmeDRn0M6C', '', '2026-11-30 10:32:31.402141+00', '2026-11-30 10:32:31.417401+00', 2, 2, NULL);


ALTER TABLE public.orders_refund ENABLE TRIGGER ALL;

--
-- Data for Name: orders_refundevent; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.orders_refundevent DISABLE TRIGGER ALL;

INSERT INTO public.orders_refundevent (pgh_id, pgh_created_at, pgh_label, id, amount, currency, amount_minor, reason, status, idempotency_key, stripe_refund_id, error, created_at, completed_at, order_id, payment_id, pgh_context_id, pgh_obj_id, requested_by_id) VALUES (1, '2026-11-30 10:32:31.395673+00', 'insert', 1, 86.000, 'EUR', 8600, 'Too small', 'requested', 'order:2:refund:3edaa2ed21cf4ce98d3b238ce813c3a2', '', '', '2026-11-30 10:32:31.402141+00', NULL, 2, 2, NULL, 1, NULL);
INSERT INTO public.orders_refundevent (pgh_id, pgh_created_at, pgh_label, id, amount, currency, amount_minor, reason, status, idempotency_key, stripe_refund_id, error, created_at, completed_at, order_id, payment_id, pgh_context_id, pgh_obj_id, requested_by_id) VALUES (2, '2026-11-30 10:32:31.416905+00', 'update', 1, 86.000, 'EUR', 8600, 'Too small', 'succeeded', 'order:2:refund:3edaa2ed21cf4ce98d3b238ce813c3a2', 're_OZz2GmeDRn0M6C', '', '2026-11-30 10:32:31.402141+00', '2026-11-30 10:32:31.417401+00', 2, 2, NULL, 1, NULL);


ALTER TABLE public.orders_refundevent ENABLE TRIGGER ALL;

--
-- Data for Name: orders_refundline; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.orders_refundline DISABLE TRIGGER ALL;

INSERT INTO public.orders_refundline (id, quantity, amount, restock, order_line_id, refund_id, fit_reason) VALUES (1, 1, 86.000, true, 3, 1, 'too_small');


ALTER TABLE public.orders_refundline ENABLE TRIGGER ALL;

--
-- Data for Name: orders_shippingrate; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.orders_shippingrate DISABLE TRIGGER ALL;

INSERT INTO public.orders_shippingrate (id, valid_from, valid_to, source, confidence, note, territory, amount, currency, per_extra_kg, included_kg) VALUES (1, '2026-01-01', NULL, 'Livedock express parcel rate card, illustrative demo rates (set the real carrier contract here)', 'U', '', 'EU', 15.00, 'USD', 6.00, 1.000);
INSERT INTO public.orders_shippingrate (id, valid_from, valid_to, source, confidence, note, territory, amount, currency, per_extra_kg, included_kg) VALUES (2, '2026-01-01', NULL, 'Livedock express parcel rate card, illustrative demo rates (set the real carrier contract here)', 'U', '', 'GB', 15.00, 'USD', 6.00, 1.000);
INSERT INTO public.orders_shippingrate (id, valid_from, valid_to, source, confidence, note, territory, amount, currency, per_extra_kg, included_kg) VALUES (3, '2026-01-01', NULL, 'Livedock express parcel rate card, illustrative demo rates (set the real carrier contract here)', 'U', '', 'US', 18.00, 'USD', 7.00, 1.000);
INSERT INTO public.orders_shippingrate (id, valid_from, valid_to, source, confidence, note, territory, amount, currency, per_extra_kg, included_kg) VALUES (4, '2026-01-01', NULL, 'Livedock express parcel rate card, illustrative demo rates (set the real carrier contract here)', 'U', '', 'JP', 12.00, 'USD', 4.00, 1.000);
INSERT INTO public.orders_shippingrate (id, valid_from, valid_to, source, confidence, note, territory, amount, currency, per_extra_kg, included_kg) VALUES (5, '2026-01-01', NULL, 'Livedock express parcel rate card, illustrative demo rates (set the real carrier contract here)', 'U', '', 'KR', 12.00, 'USD', 4.00, 1.000);
INSERT INTO public.orders_shippingrate (id, valid_from, valid_to, source, confidence, note, territory, amount, currency, per_extra_kg, included_kg) VALUES (6, '2026-01-01', NULL, 'Livedock express parcel rate card, illustrative demo rates (set the real carrier contract here)', 'U', '', 'AU', 20.00, 'USD', 8.00, 1.000);
INSERT INTO public.orders_shippingrate (id, valid_from, valid_to, source, confidence, note, territory, amount, currency, per_extra_kg, included_kg) VALUES (7, '2026-01-01', NULL, 'Livedock express parcel rate card, illustrative demo rates (set the real carrier contract here)', 'U', '', 'CA', 20.00, 'USD', 8.00, 1.000);
INSERT INTO public.orders_shippingrate (id, valid_from, valid_to, source, confidence, note, territory, amount, currency, per_extra_kg, included_kg) VALUES (8, '2026-01-01', NULL, 'Livedock express parcel rate card, illustrative demo rates (set the real carrier contract here)', 'U', '', 'SG', 12.00, 'USD', 4.00, 1.000);


ALTER TABLE public.orders_shippingrate ENABLE TRIGGER ALL;

--
-- Data for Name: orders_taxrate; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.orders_taxrate DISABLE TRIGGER ALL;

INSERT INTO public.orders_taxrate (id, valid_from, valid_to, source, confidence, note, country, name, rate) VALUES (1, '2007-01-01', NULL, 'Standard VAT 19% (customs spec 2.6)', 'S', '', 'DE', 'VAT', 0.1900);
INSERT INTO public.orders_taxrate (id, valid_from, valid_to, source, confidence, note, country, name, rate) VALUES (2, '2014-01-01', NULL, 'Standard VAT 20% (customs spec 2.6)', 'S', '', 'FR', 'VAT', 0.2000);
INSERT INTO public.orders_taxrate (id, valid_from, valid_to, source, confidence, note, country, name, rate) VALUES (3, '2013-10-01', NULL, 'Standard VAT 22% (customs spec 2.6)', 'S', '', 'IT', 'VAT', 0.2200);
INSERT INTO public.orders_taxrate (id, valid_from, valid_to, source, confidence, note, country, name, rate) VALUES (4, '2012-09-01', NULL, 'Standard VAT 21% (customs spec 2.6)', 'S', '', 'ES', 'VAT', 0.2100);
INSERT INTO public.orders_taxrate (id, valid_from, valid_to, source, confidence, note, country, name, rate) VALUES (5, '2012-10-01', NULL, 'Standard VAT 21% (customs spec 2.6)', 'S', '', 'NL', 'VAT', 0.2100);
INSERT INTO public.orders_taxrate (id, valid_from, valid_to, source, confidence, note, country, name, rate) VALUES (6, '2011-01-04', NULL, 'UK VAT 20% (gov.uk; customs spec 2.6)', 'S', '', 'GB', 'VAT', 0.2000);
INSERT INTO public.orders_taxrate (id, valid_from, valid_to, source, confidence, note, country, name, rate) VALUES (7, '2019-10-01', NULL, 'Consumption tax 10% = 7.8% national + 2.2% local (Customs Answer 1111)', 'C', '', 'JP', 'CT', 0.1000);
INSERT INTO public.orders_taxrate (id, valid_from, valid_to, source, confidence, note, country, name, rate) VALUES (8, '2000-01-01', NULL, 'VAT 10% (krutils.com)', 'S', '', 'KR', 'VAT', 0.1000);
INSERT INTO public.orders_taxrate (id, valid_from, valid_to, source, confidence, note, country, name, rate) VALUES (9, '2000-07-01', NULL, 'GST 10% (homeaffairs archive)', 'S', '', 'AU', 'GST', 0.1000);
INSERT INTO public.orders_taxrate (id, valid_from, valid_to, source, confidence, note, country, name, rate) VALUES (10, '2024-01-01', NULL, 'GST 9% from 2024-01-01 (sovos, avalara)', 'S', '', 'SG', 'GST', 0.0900);
INSERT INTO public.orders_taxrate (id, valid_from, valid_to, source, confidence, note, country, name, rate) VALUES (11, '2008-01-01', NULL, 'Federal GST 5%; provincial taxes not researched', 'U', '', 'CA', 'GST', 0.0500);


ALTER TABLE public.orders_taxrate ENABLE TRIGGER ALL;

--
-- Data for Name: orders_webhookevent; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.orders_webhookevent DISABLE TRIGGER ALL;



ALTER TABLE public.orders_webhookevent ENABLE TRIGGER ALL;

--
-- Data for Name: pghistory_context; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.pghistory_context DISABLE TRIGGER ALL;



ALTER TABLE public.pghistory_context ENABLE TRIGGER ALL;

--
-- Data for Name: shop_fxrate; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.shop_fxrate DISABLE TRIGGER ALL;

INSERT INTO public.shop_fxrate (id, base, quote, rate, as_of, source, loaded_at) VALUES (1, 'USD', 'EUR', 0.8600000000, '2026-11-20', 'test rates', '2026-11-30 10:32:30.976952+00');
INSERT INTO public.shop_fxrate (id, base, quote, rate, as_of, source, loaded_at) VALUES (2, 'USD', 'JPY', 150.0000000000, '2026-11-20', 'test rates', '2026-11-30 10:32:30.978065+00');
INSERT INTO public.shop_fxrate (id, base, quote, rate, as_of, source, loaded_at) VALUES (3, 'USD', 'CNY', 7.1000000000, '2026-11-20', 'test rates', '2026-11-30 10:32:30.978698+00');


ALTER TABLE public.shop_fxrate ENABLE TRIGGER ALL;

--
-- Data for Name: shop_manufacturermembership; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.shop_manufacturermembership DISABLE TRIGGER ALL;



ALTER TABLE public.shop_manufacturermembership ENABLE TRIGGER ALL;

--
-- Data for Name: shop_price; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.shop_price DISABLE TRIGGER ALL;

INSERT INTO public.shop_price (id, currency, amount, updated_at, variant_id) VALUES (1, 'USD', 100.000, '2026-11-30 10:32:30.988907+00', 1);
INSERT INTO public.shop_price (id, currency, amount, updated_at, variant_id) VALUES (2, 'USD', 50.000, '2026-11-30 10:32:31.037488+00', 2);


ALTER TABLE public.shop_price ENABLE TRIGGER ALL;

--
-- Data for Name: shop_priceevent; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.shop_priceevent DISABLE TRIGGER ALL;

INSERT INTO public.shop_priceevent (pgh_id, pgh_created_at, pgh_label, currency, amount, pgh_context_id, pgh_obj_id, variant_id) VALUES (1, '2026-11-30 10:32:30.989062+00', 'insert', 'USD', 100.000, NULL, 1, 1);
INSERT INTO public.shop_priceevent (pgh_id, pgh_created_at, pgh_label, currency, amount, pgh_context_id, pgh_obj_id, variant_id) VALUES (2, '2026-11-30 10:32:31.037595+00', 'insert', 'USD', 50.000, NULL, 2, 2);


ALTER TABLE public.shop_priceevent ENABLE TRIGGER ALL;

--
-- Data for Name: shop_productimage; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.shop_productimage DISABLE TRIGGER ALL;



ALTER TABLE public.shop_productimage ENABLE TRIGGER ALL;

--
-- Data for Name: shop_productlisting; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.shop_productlisting DISABLE TRIGGER ALL;

INSERT INTO public.shop_productlisting (id, currency, from_price, refreshed_at, product_id) VALUES (1, 'USD', 100.000, '2026-11-30 10:32:31.002683+00', 1);
INSERT INTO public.shop_productlisting (id, currency, from_price, refreshed_at, product_id) VALUES (2, 'EUR', 86.000, '2026-11-30 10:32:31.009821+00', 1);
INSERT INTO public.shop_productlisting (id, currency, from_price, refreshed_at, product_id) VALUES (3, 'JPY', 15000.000, '2026-11-30 10:32:31.017954+00', 1);
INSERT INTO public.shop_productlisting (id, currency, from_price, refreshed_at, product_id) VALUES (4, 'CNY', 710.000, '2026-11-30 10:32:31.031388+00', 1);
INSERT INTO public.shop_productlisting (id, currency, from_price, refreshed_at, product_id) VALUES (5, 'USD', 50.000, '2026-11-30 10:32:31.047326+00', 2);
INSERT INTO public.shop_productlisting (id, currency, from_price, refreshed_at, product_id) VALUES (6, 'EUR', 43.000, '2026-11-30 10:32:31.05366+00', 2);
INSERT INTO public.shop_productlisting (id, currency, from_price, refreshed_at, product_id) VALUES (7, 'JPY', 7500.000, '2026-11-30 10:32:31.061525+00', 2);
INSERT INTO public.shop_productlisting (id, currency, from_price, refreshed_at, product_id) VALUES (8, 'CNY', 355.000, '2026-11-30 10:32:31.076625+00', 2);


ALTER TABLE public.shop_productlisting ENABLE TRIGGER ALL;

--
-- Data for Name: shop_stocklevelevent; Type: TABLE DATA; Schema: public; Owner: -
--

ALTER TABLE public.shop_stocklevelevent DISABLE TRIGGER ALL;

INSERT INTO public.shop_stocklevelevent (pgh_id, pgh_created_at, pgh_label, on_hand, pgh_context_id, pgh_obj_id, variant_id, warehouse_id) VALUES (1, '2026-11-30 10:32:30.992066+00', 'insert', 20, NULL, 1, 1, 1);
INSERT INTO public.shop_stocklevelevent (pgh_id, pgh_created_at, pgh_label, on_hand, pgh_context_id, pgh_obj_id, variant_id, warehouse_id) VALUES (2, '2026-11-30 10:32:31.039312+00', 'insert', 20, NULL, 2, 2, 2);


ALTER TABLE public.shop_stocklevelevent ENABLE TRIGGER ALL;

--
-- Name: auth_group_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.auth_group_id_seq', 1, false);


--
-- Name: auth_user_groups_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.auth_user_groups_id_seq', 1, false);


--
-- Name: auth_user_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.auth_user_id_seq', 3, true);


--
-- Name: livestream_dealpurchase_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.livestream_dealpurchase_id_seq', 1, false);


--
-- Name: livestream_festival_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.livestream_festival_id_seq', 1, false);


--
-- Name: livestream_flashdeal_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.livestream_flashdeal_id_seq', 1, false);


--
-- Name: livestream_flashdealevent_pgh_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.livestream_flashdealevent_pgh_id_seq', 1, false);


--
-- Name: livestream_host_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.livestream_host_id_seq', 1, false);


--
-- Name: livestream_hostavailability_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.livestream_hostavailability_id_seq', 1, false);


--
-- Name: livestream_lineupitem_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.livestream_lineupitem_id_seq', 1, false);


--
-- Name: livestream_livebase_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.livestream_livebase_id_seq', 1, false);


--
-- Name: livestream_livesession_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.livestream_livesession_id_seq', 1, false);


--
-- Name: livestream_pinnedproduct_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.livestream_pinnedproduct_id_seq', 1, false);


--
-- Name: livestream_sessionmetrics_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.livestream_sessionmetrics_id_seq', 1, false);


--
-- Name: livestream_sessionrequest_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.livestream_sessionrequest_id_seq', 1, false);


--
-- Name: livestream_streamingtool_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.livestream_streamingtool_id_seq', 1, false);


--
-- Name: livestream_studio_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.livestream_studio_id_seq', 1, false);


--
-- Name: livestream_viewreport_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.livestream_viewreport_id_seq', 1, false);


--
-- Name: orders_address_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.orders_address_id_seq', 3, true);


--
-- Name: orders_buyerprofile_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.orders_buyerprofile_id_seq', 3, true);


--
-- Name: orders_cart_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.orders_cart_id_seq', 3, true);


--
-- Name: orders_cartline_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.orders_cartline_id_seq', 4, true);


--
-- Name: orders_customsdeclaration_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.orders_customsdeclaration_id_seq', 6, true);


--
-- Name: orders_customsfxrate_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.orders_customsfxrate_id_seq', 1, false);


--
-- Name: orders_declarationreceipt_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.orders_declarationreceipt_id_seq', 1, false);


--
-- Name: orders_dutyrule_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.orders_dutyrule_id_seq', 22, true);


--
-- Name: orders_fitreport_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.orders_fitreport_id_seq', 1, true);


--
-- Name: orders_footprofile_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.orders_footprofile_id_seq', 1, true);


--
-- Name: orders_idempotencyrecord_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.orders_idempotencyrecord_id_seq', 3, true);


--
-- Name: orders_importregime_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.orders_importregime_id_seq', 16, true);


--
-- Name: orders_ledgerentry_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.orders_ledgerentry_id_seq', 15, true);


--
-- Name: orders_order_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.orders_order_id_seq', 3, true);


--
-- Name: orders_orderevent_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.orders_orderevent_id_seq', 6, true);


--
-- Name: orders_orderline_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.orders_orderline_id_seq', 4, true);


--
-- Name: orders_payment_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.orders_payment_id_seq', 2, true);


--
-- Name: orders_payout_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.orders_payout_id_seq', 3, true);


--
-- Name: orders_payoutevent_pgh_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.orders_payoutevent_pgh_id_seq', 3, true);


--
-- Name: orders_refund_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.orders_refund_id_seq', 1, true);


--
-- Name: orders_refundevent_pgh_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.orders_refundevent_pgh_id_seq', 2, true);


--
-- Name: orders_refundline_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.orders_refundline_id_seq', 1, true);


--
-- Name: orders_shipment_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.orders_shipment_id_seq', 4, true);


--
-- Name: orders_shippingrate_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.orders_shippingrate_id_seq', 8, true);


--
-- Name: orders_taxrate_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.orders_taxrate_id_seq', 11, true);


--
-- Name: orders_webhookevent_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.orders_webhookevent_id_seq', 1, false);


--
-- Name: shop_brand_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.shop_brand_id_seq', 2, true);


--
-- Name: shop_category_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.shop_category_id_seq', 1, true);


--
-- Name: shop_fxrate_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.shop_fxrate_id_seq', 3, true);


--
-- Name: shop_manufacturer_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.shop_manufacturer_id_seq', 2, true);


--
-- Name: shop_manufacturermembership_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.shop_manufacturermembership_id_seq', 1, false);


--
-- Name: shop_price_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.shop_price_id_seq', 2, true);


--
-- Name: shop_priceevent_pgh_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.shop_priceevent_pgh_id_seq', 2, true);


--
-- Name: shop_product_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.shop_product_id_seq', 2, true);


--
-- Name: shop_productimage_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.shop_productimage_id_seq', 1, false);


--
-- Name: shop_productlisting_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.shop_productlisting_id_seq', 8, true);


--
-- Name: shop_stocklevel_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.shop_stocklevel_id_seq', 2, true);


--
-- Name: shop_stocklevelevent_pgh_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.shop_stocklevelevent_pgh_id_seq', 2, true);


--
-- Name: shop_variant_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.shop_variant_id_seq', 2, true);


--
-- Name: shop_warehouse_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.shop_warehouse_id_seq', 2, true);


--
-- PostgreSQL database dump complete
--


