"""The shop's tables: the catalog and its stock (`catalog`), its texts in the buyers' languages
(`translations`), the log of changes the storefront's response cache reads (`changes`), and the search
read model the database keeps from them (`search`)."""

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
from .search import ProductSearch
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
    "ProductImage", "ProductListing", "ProductSearch", "ProductTranslation", "SizeSystem", "StockLevel",
    "TableVersion", "Variant",
    "Warehouse", "WidthClass",
]
