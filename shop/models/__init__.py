"""The shop's tables: the catalog and its stock (`catalog`), its texts in the buyers' languages
(`translations`)."""

from .catalog import (
    Brand,
    Category,
    FxRate,
    Manufacturer,
    ManufacturerMembership,
    Material,
    MembershipRole,
    Price,
    Product,
    ProductImage,
    ProductListing,
    SizeSystem,
    StockLevel,
    TableVersion,
    Variant,
    Warehouse,
    WidthClass,
)
from .translations import (
    BrandTranslation,
    CatalogTerm,
    CategoryTranslation,
    Language,
    ProductTranslation,
)

__all__ = [
    "Brand", "BrandTranslation", "CatalogTerm", "Category", "CategoryTranslation", "FxRate", "Language",
    "Manufacturer", "ManufacturerMembership", "Material", "MembershipRole", "Price", "Product", "ProductImage",
    "ProductListing", "ProductTranslation", "SizeSystem", "StockLevel", "TableVersion", "Variant", "Warehouse",
    "WidthClass",
]
