package cn.qxqy.pipeline.reference;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** 开发区: a development zone, named by its Chinese name as projects give it. */
@Entity
@Table(name = "zones")
public class Zone extends PanacheEntityBase {

    @Id
    @Column(name = "name_zh")
    public String nameZh;
    @Column(name = "name_en")
    public String nameEn;
    @Column(name = "region_code")
    public String regionCode;
    public int sort;
}
