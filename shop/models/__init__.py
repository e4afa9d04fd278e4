"""The shop's tables: the catalog and its stock (`catalog`), its texts in the buyers' languages
(`translations`), and the log of changes the storefront's response cache reads (`changes`)."""

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
from .changes import CatalogChange
from .translations import (
    BrandTranslation,
    CatalogTerm,
    CategoryTranslation,
    Language,
    ProductTranslation,
)

__all__ = [
    "Brand", "BrandTranslation", "CatalogChange", "CatalogTerm", "Category", "CategoryTranslation", "FxRate",
    "Language", "Manufacturer", "ManufacturerMembership", "Material", "MembershipRole", "Price", "Product",
    "ProductImage", "ProductListing", "ProductTranslation", "SizeSystem", "StockLevel", "TableVersion", "Variant",
    "Warehouse", "WidthClass",
]
