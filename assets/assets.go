// Package assets holds files shipped inside the binary: the app icon (SVG
// source and a PNG rendered from it with rsvg-convert) and, in later
// versions, the model catalog and prompts.
package assets

import _ "embed"

// IconPNG is the 512x512 app icon, used for the window.
//
//go:embed icon.png
var IconPNG []byte

// IconSVG is the icon's source artwork.
//
//go:embed icon.svg
var IconSVG []byte

// CatalogJSON is the curated model catalog (see backend/catalog), usable
// offline.
//
//go:embed catalog.json
var CatalogJSON []byte
