package registry

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"runtime"

	"github.com/ollama/ollama/format"
	"github.com/ollama/ollama/fs/ggml"
)

// Media types of the manifest, its config and the layers Ollama understands.
const (
	MediaTypeManifest = "application/vnd.docker.distribution.manifest.v2+json"
	MediaTypeConfig   = "application/vnd.docker.container.image.v1+json"
	MediaTypeModel    = "application/vnd.ollama.image.model"
	MediaTypeTemplate = "application/vnd.ollama.image.template"
	MediaTypeParams   = "application/vnd.ollama.image.params"
	MediaTypeSystem   = "application/vnd.ollama.image.system"
	MediaTypeLicense  = "application/vnd.ollama.image.license"
)

// Layer is one blob of a model and the media type it is listed under.
type Layer struct {
	MediaType string
	Data      []byte
}

// Digest returns the layer's content digest, "sha256:<hex>".
func (l Layer) Digest() string { return fmt.Sprintf("sha256:%x", sha256.Sum256(l.Data)) }

// ModelLayer returns a GGUF model layer.
func ModelLayer(gguf []byte) Layer { return Layer{MediaTypeModel, gguf} }

// TemplateLayer returns a prompt template layer.
func TemplateLayer(template string) Layer { return Layer{MediaTypeTemplate, []byte(template)} }

// ParamsLayer returns a parameters layer (the JSON object Ollama stores for
// Modelfile PARAMETER lines, e.g. {"stop": ["<|eos|>"]}).
func ParamsLayer(params map[string]any) (Layer, error) {
	b, err := json.Marshal(params)
	if err != nil {
		return Layer{}, fmt.Errorf("registry: params layer: %w", err)
	}
	return Layer{MediaTypeParams, b}, nil
}

// descriptor is a manifest entry.
type descriptor struct {
	MediaType string `json:"mediaType"`
	Digest    string `json:"digest"`
	Size      int64  `json:"size"`
}

func describe(l Layer) descriptor {
	return descriptor{l.MediaType, l.Digest(), int64(len(l.Data))}
}

type manifest struct {
	SchemaVersion int          `json:"schemaVersion"`
	MediaType     string       `json:"mediaType"`
	Config        descriptor   `json:"config"`
	Layers        []descriptor `json:"layers"`
}

// imageConfig is the config blob, with the fields `ollama create` fills in.
type imageConfig struct {
	ModelFormat   string   `json:"model_format"`
	ModelFamily   string   `json:"model_family"`
	ModelFamilies []string `json:"model_families"`
	ModelType     string   `json:"model_type"`
	FileType      string   `json:"file_type"`
	Architecture  string   `json:"architecture"`
	OS            string   `json:"os"`
	RootFS        struct {
		Type    string   `json:"type"`
		DiffIDs []string `json:"diff_ids"`
	} `json:"rootfs"`
}

// configLayer describes the layers as `ollama create` would: format, family,
// parameter count and file type come from the first model layer that parses
// as GGUF; a model layer that does not parse leaves them empty.
func configLayer(layers []Layer) (Layer, error) {
	c := imageConfig{Architecture: runtime.GOARCH, OS: runtime.GOOS}
	c.RootFS.Type = "layers"
	c.RootFS.DiffIDs = []string{}
	for _, l := range layers {
		c.RootFS.DiffIDs = append(c.RootFS.DiffIDs, l.Digest())
		if l.MediaType != MediaTypeModel || c.ModelFormat != "" {
			continue
		}
		m, err := ggml.Decode(bytes.NewReader(l.Data), 0)
		if err != nil {
			continue
		}
		kv := m.KV()
		c.ModelFormat = "gguf"
		c.ModelFamily = kv.Architecture()
		c.ModelFamilies = []string{kv.Architecture()}
		c.ModelType = format.HumanNumber(kv.ParameterCount())
		c.FileType = kv.FileType().String()
	}
	b, err := json.Marshal(c)
	if err != nil {
		return Layer{}, fmt.Errorf("registry: config: %w", err)
	}
	return Layer{MediaTypeConfig, b}, nil
}
